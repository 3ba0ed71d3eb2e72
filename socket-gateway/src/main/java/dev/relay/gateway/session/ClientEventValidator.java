package dev.relay.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Checks a client-published payload against the event contracts; empty list = valid. */
public interface ClientEventValidator {

  List<String> validate(String type, ObjectNode payload);
}
