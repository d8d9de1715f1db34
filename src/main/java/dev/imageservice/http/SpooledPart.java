package dev.imageservice.http;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glassfish.jersey.media.multipart.BodyPartEntity;

/**
 * The image part of a multipart upload moved to a temporary file of this request's own (Jersey
 * spools parts over 4 KiB to disk anyway; the move renames its file), so that its size is known and
 * it can be read in two steps, its head before admission and the rest on admission. Deleted once the
 * answer is written.
 */
final class SpooledPart {
    private final Path file;
    private final long size;
    private InputStream opened;

    private SpooledPart(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    /** @throws dev.imageservice.processing.ImageProcessingException (413) when the part is over the limit */
    static SpooledPart of(BodyPartEntity entity, long maxInputBytes) throws IOException {
        Path file = Files.createTempFile("image-upload-", ".part");
        Files.delete(file); // the move below creates it
        try {
            entity.moveTo(file.toFile());
            long size = Files.size(file);
            if (size > maxInputBytes) {
                throw BoundedInput.tooLarge(maxInputBytes);
            }
            return new SpooledPart(file, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    long size() {
        return size;
    }

    synchronized InputStream open() throws IOException {
        opened = Files.newInputStream(file);
        return opened;
    }

    /** Closes what was opened and deletes the file (idempotent, never throws). */
    synchronized void delete() {
        try {
            if (opened != null) {
                opened.close();
            }
        } catch (IOException ignored) {
            // deleting is what matters
        }
        File f = file.toFile();
        if (f.exists() && !f.delete()) {
            f.deleteOnExit();
        }
    }
}
