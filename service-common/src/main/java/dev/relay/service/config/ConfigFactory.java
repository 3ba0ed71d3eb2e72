package dev.relay.service.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/** Backs {@link EnvConfig} with Micronaut's {@link Environment} (env vars, system properties). */
@Factory
public class ConfigFactory {

  @Singleton
  EnvConfig envConfig(Environment environment) {
    return new EnvConfig(name -> environment.getProperty(name, String.class));
  }
}
