/**
 * Image formats from their first bytes: one probe ({@link dev.imageservice.processing.format.FormatProbe})
 * that sniffs the format and hands its header to that format's one small reader, for the size
 * (the decompression-bomb guard), the codec traits and completeness. All knowledge of file layouts
 * lives here, read once per request. A leaf: imports nothing but {@code java.*}.
 */
package dev.imageservice.processing.format;
