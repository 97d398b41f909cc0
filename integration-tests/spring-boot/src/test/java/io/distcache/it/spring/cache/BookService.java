package io.distcache.it.spring.cache;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Titles by id, counting how often the "slow" lookup really runs. Negative ids have no title (null). */
@Service
public class BookService {

  private final AtomicInteger lookups = new AtomicInteger();

  @Cacheable("books")
  public String title(long id) {
    return lookup(id);
  }

  @Cacheable(cacheNames = "books", sync = true)
  public String titleSync(long id) {
    return lookup(id);
  }

  /** Two parameters: Spring's key is a {@code SimpleKey} holding the enum and the number. */
  @Cacheable("books")
  public String shelf(Genre genre, int row) {
    return lookup(row < 0 ? -1 : row) == null ? null : genre + "-" + row;
  }

  @CachePut(cacheNames = "books", key = "#p0")
  public String rename(long id, String title) {
    return title;
  }

  @CacheEvict(cacheNames = "books", allEntries = true)
  public void evictAll() {
    // the annotation does the work
  }

  public int lookups() {
    return lookups.get();
  }

  private String lookup(long id) {
    lookups.incrementAndGet();
    return id < 0 ? null : "title-" + id;
  }
}
