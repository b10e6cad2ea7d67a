package io.keel.core.error;

/** A request asked for something the chosen backend cannot do; Keel never drops such a request silently. */
public final class UnsupportedCapabilityException extends KeelException {
    public UnsupportedCapabilityException(String backend, String capability) {
        super(ErrorCode.UNSUPPORTED_CAPABILITY, backend + " does not support " + capability);
    }
}
