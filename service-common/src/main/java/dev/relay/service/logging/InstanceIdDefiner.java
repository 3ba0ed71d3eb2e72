package dev.relay.service.logging;

import ch.qos.logback.core.PropertyDefinerBase;

/** Gives logback.xml the {@code instanceId} property so every JSON log line carries it. */
public final class InstanceIdDefiner extends PropertyDefinerBase {

  @Override
  public String getPropertyValue() {
    return InstanceId.current();
  }
}
