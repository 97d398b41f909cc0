package io.distcache.benchmarks.peer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;

/**
 * What a hand-written Redis client would use to store values: Kryo 5 with its defaults (classes
 * written by name, no reference tracking), instances pooled. The raw-Redis baselines encode and
 * decode with it, so they include the decoding work a cache must do too.
 */
public final class PlainKryo {

  private static final int INITIAL_BUFFER_BYTES = 256;

  private final Pool<Kryo> kryos = new Pool<>(true, false, 16) {
    @Override
    protected Kryo create() {
      Kryo kryo = new Kryo();
      kryo.setRegistrationRequired(false);
      return kryo;
    }
  };

  /** The bytes of a value. */
  public byte[] encode(Object value) {
    Kryo kryo = kryos.obtain();
    try {
      Output output = new Output(INITIAL_BUFFER_BYTES, -1);
      kryo.writeClassAndObject(output, value);
      return output.toBytes();
    } finally {
      kryos.free(kryo);
    }
  }

  /** The value of bytes made by {@link #encode(Object)}; {@code null} for {@code null}. */
  public Object decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    Kryo kryo = kryos.obtain();
    try {
      return kryo.readClassAndObject(new Input(bytes));
    } finally {
      kryos.free(kryo);
    }
  }
}
