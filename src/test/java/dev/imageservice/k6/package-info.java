/** Checks that the k6 load-test scripts in {@code k6/} call the service as it is, without k6. */
package dev.imageservice.k6;
