package io.distcache.it.hibernate.model;

import java.io.Serializable;

/**
 * A {@link Book} attribute Hibernate stores as a serialized value: its cache entry holds the object itself,
 * so the codec must allow this class; the provider learns it from the mapping (no codec setting).
 */
public record Dimensions(int widthMillimetres, int heightMillimetres) implements Serializable {
}
