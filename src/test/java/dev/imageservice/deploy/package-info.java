/**
 * Checks of what deploy/ ships: the Dockerfile, the Kubernetes manifests (against the
 * configuration they set), and a rolling update of the local cluster. Test code only.
 */
package dev.imageservice.deploy;
