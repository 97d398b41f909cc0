package io.distcache.it.hibernate.model;

/** Part of {@link Shop}'s natural id: enum values have identity hash codes, which differ between JVMs. */
public enum Region { NORTH, SOUTH }
