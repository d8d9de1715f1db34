/**
 * The application and its configuration: the one place where the rooms are wired together
 * (processor, transports, ops) and config.yml's factories build their objects. Everything may be
 * imported here; nothing else imports this package.
 */
package dev.imageservice;
