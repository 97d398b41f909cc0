/** Entities for the Hibernate integration's unit tests; their names appear nowhere else. */
package io.distcache.jcache.hibernate.model;
