/**
 * The core: the processor that every transport calls (check, admit, decode, operate, encode), its
 * memory budget and admission, the operations, the codecs and the transport-neutral errors. Imports
 * only the JDK, OpenCV, JNA (the libturbojpeg binding) and its own {@code format} package: never
 * gRPC, HTTP, Dropwizard, metrics or another room of this application (see ArchitectureTest).
 */
package dev.imageservice.processing;
