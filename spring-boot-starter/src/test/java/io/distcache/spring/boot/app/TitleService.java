package io.distcache.spring.boot.app;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Titles by id, counting how often the "slow" lookup really runs. */
@Service
public class TitleService {

  private final AtomicInteger lookups = new AtomicInteger();

  @Cacheable("titles")
  public String title(long id) {
    lookups.incrementAndGet();
    return "title-" + id;
  }

  @CachePut(cacheNames = "titles", key = "#p0")
  public String rename(long id, String title) {
    return title;
  }

  public int lookups() {
    return lookups.get();
  }
}
