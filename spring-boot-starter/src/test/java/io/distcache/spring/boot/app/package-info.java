/** The starter's test application. */
package io.distcache.spring.boot.app;
