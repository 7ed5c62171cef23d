package dev.keysmith.audit;

/** The last record of a tenant's chain: note it, and check a later export against it. */
public record ChainHead(long position, String hash) {

    /** As written on the command line of the offline verifier: {@code position:hash}. */
    @Override
    public String toString() {
        return position + ":" + hash;
    }

    public static ChainHead parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("A chain head reads <position>:<sha-256 hex>, e.g. 42:9f86d0...");
        }
        try {
            return new ChainHead(Long.parseLong(text.substring(0, colon).strip()), text.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A chain head reads <position>:<sha-256 hex>, e.g. 42:9f86d0...");
        }
    }
}
