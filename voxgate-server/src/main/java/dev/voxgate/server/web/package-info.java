/**
 * The browser client (module {@code voxgate-web}) served at {@code /} from the classpath by
 * {@link dev.voxgate.server.web.BrowserClientFiles}, with headers that keep the page to its own origin.
 */
package dev.voxgate.server.web;
