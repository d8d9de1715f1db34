/**
 * The image operations a request can ask for (swap, gray, resize, crop, rotate, flip, orient), each
 * a small {@link dev.imageservice.processing.ImageOperation} on OpenCV pixels, and the one syntax
 * ({@code resize:W:H[:mode]}, ...) that the HTTP query, the form, gRPC and the client all parse.
 */
package dev.imageservice.processing.operation;
