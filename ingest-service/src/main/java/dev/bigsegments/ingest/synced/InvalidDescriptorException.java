package dev.bigsegments.ingest.synced;

/** A descriptor file that breaks a rule: permanent, the service does not start with it. */
public final class InvalidDescriptorException extends RuntimeException {
    public InvalidDescriptorException(String file, String rule) {
        super("integration descriptor " + file + " is invalid: " + rule);
    }

    public InvalidDescriptorException(String file, String rule, Throwable cause) {
        super("integration descriptor " + file + " is invalid: " + rule, cause);
    }
}
