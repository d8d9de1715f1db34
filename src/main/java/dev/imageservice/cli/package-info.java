/**
 * Commands of the jar besides {@code server}: {@code client} (the Java twin of the tutorial's
 * client), {@code bench} and {@code sample-images}. A client of the service, not a part of it: it
 * uses the generated gRPC stubs, the header probe and the OpenCV loader, never the server's
 * transports, ops or processor (see ArchitectureTest).
 */
package dev.imageservice.cli;
