package dev.imageservice.processing;

import org.opencv.core.Core;

/**
 * Loads OpenCV's native library once per process. Loading takes about half a second, so the
 * application does it at startup rather than on the first request.
 */
public final class OpenCvLibrary {
    private static volatile String version;

    private OpenCvLibrary() {
    }

    /** Loads the native library if it is not loaded yet; returns OpenCV's version. */
    public static String load() {
        String loaded = version;
        if (loaded == null) {
            synchronized (OpenCvLibrary.class) {
                loaded = version;
                if (loaded == null) {
                    // loadShared() is not supported on Java 12+; loadLocally() extracts the bundled
                    // native library for this platform and System.load()s it.
                    nu.pattern.OpenCV.loadLocally();
                    loaded = Core.VERSION;
                    version = loaded;
                }
            }
        }
        return loaded;
    }
}
