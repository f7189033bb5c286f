package io.portao.accesslog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One access log line as the bytes that are written, built without a {@code String}: every character put in is
 * ASCII ({@link AccessLogFormat} escapes everything else), so each is one byte, and {@link AccessLogWriter}
 * copies the line into its buffer with one array copy.
 */
final class AsciiLine {

	private byte[] bytes;

	private int length;

	AsciiLine(int capacity) {
		this.bytes = new byte[capacity];
	}

	/** {@code c}, which must be ASCII. */
	AsciiLine append(char c) {
		ensure(1);
		this.bytes[this.length++] = ascii(c);
		return this;
	}

	/** {@code ascii}, which must hold ASCII characters only. */
	AsciiLine append(String ascii) {
		int size = ascii.length();
		ensure(size);
		for (int i = 0; i < size; i++) {
			this.bytes[this.length++] = ascii(ascii.charAt(i));
		}
		return this;
	}

	/** Anything else is a bug in the caller, not worth a broken line: {@code ?}, as the writer did before. */
	private static byte ascii(char c) {
		return (byte) ((c < 0x80) ? c : '?');
	}

	/** {@code bytes}, which must be ASCII. */
	AsciiLine append(byte[] ascii) {
		ensure(ascii.length);
		System.arraycopy(ascii, 0, this.bytes, this.length, ascii.length);
		this.length += ascii.length;
		return this;
	}

	/** {@code value} in decimal. */
	AsciiLine append(long value) {
		if (value < 0) {
			return append(Long.toString(value));
		}
		int digits = 1;
		for (long rest = value / 10; rest > 0; rest /= 10) {
			digits++;
		}
		ensure(digits);
		for (int i = this.length + digits - 1; i >= this.length; i--) {
			this.bytes[i] = (byte) ('0' + value % 10);
			value /= 10;
		}
		this.length += digits;
		return this;
	}

	int length() {
		return this.length;
	}

	/** Copies the line into {@code target} at {@code offset}. */
	void copyTo(byte[] target, int offset) {
		System.arraycopy(this.bytes, 0, target, offset, this.length);
	}

	private void ensure(int more) {
		if (this.length + more > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
		}
	}

	@Override
	public String toString() {
		return new String(this.bytes, 0, this.length, StandardCharsets.US_ASCII);
	}

}
