package dev.relay.lambda.docs;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository from a module's working directory. */
final class DocsFiles {

  private DocsFiles() {}

  /** The nearest ancestor of the working directory holding both {@code docs/} and {@code relay}. */
  static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("relay"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}
