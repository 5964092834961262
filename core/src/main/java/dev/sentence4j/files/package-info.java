/**
 * The files sentence4j writes for itself (caches of optimized graphs, native libraries, built-in
 * weights and Hub downloads; the command line's outputs), each written whole or not at all. Internal:
 * not part of the API, and not exported by the module.
 */
package dev.sentence4j.files;
