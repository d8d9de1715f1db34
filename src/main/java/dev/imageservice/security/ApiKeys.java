package dev.imageservice.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys of {@code API_KEYS_FILE}: one {@code name:key} a line ({@code #} comments and blank
 * lines allowed). Only SHA-256 hashes of the keys are kept; a presented key is hashed and compared
 * with every stored hash in constant time, so neither timing nor a heap dump gives a key away.
 * The name identifies the client in logs, metrics and fair shares.
 */
public final class ApiKeys {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MIN_KEY_LENGTH = 16;
    private static final String BEARER = "bearer ";

    private record Entry(String name, byte[] hash) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads the file; a malformed line fails with its line number (never its key). */
    public static ApiKeys load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the API keys file " + file + ": " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = file + " line " + (i + 1);
            if (colon < 0) {
                throw new IllegalArgumentException(where + ": expected name:key");
            }
            String name = line.substring(0, colon).strip();
            String key = line.substring(colon + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": the name must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(where + ": the key of " + name + " is shorter than "
                        + MIN_KEY_LENGTH + " characters (try: openssl rand -hex 32)");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": the name " + name + " is used twice");
            }
            entries.add(new Entry(name, sha256(key)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the API keys file " + file + " holds no key: every call would be refused");
        }
        return new ApiKeys(entries);
    }

    /** The name of the key in an {@code Authorization: Bearer <key>} header, if it is one of ours. */
    public Optional<String> nameOfBearer(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return nameOf(authorization.substring(BEARER.length()).strip());
    }

    /** The name of this key, if it is one of ours. Looks at every entry, whatever matches. */
    public Optional<String> nameOf(String key) {
        byte[] hash = sha256(key);
        String found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash) && found == null) {
                found = entry.name();
            }
        }
        return Optional.ofNullable(found);
    }

    /** How many keys there are. */
    public int size() {
        return entries.size();
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
