package org.confab.admin.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the file of confab:user-import line by line: UTF-8, one record per line, fields separated
 * by commas and optionally quoted as in RFC 4180 ({@code "Smith, Alice"}, {@code ""} for a quote
 * inside quotes). Blank lines and lines starting with {@code #} are skipped. A line that cannot be
 * read (bad UTF-8, an unclosed quote, too long) comes back with its problem instead of fields, so
 * the caller can list every problem of the file with its line number.
 */
final class UserCsv {

    /** Longer lines are refused rather than buffered: a file without line breaks is not a user list. */
    static final int MAX_LINE_BYTES = 4096;

    /** One line with data: its fields, or why they could not be read. */
    record Line(int number, List<String> fields, String problem) {
    }

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[256];
    private int pos;
    private int limit;
    private int number;
    private boolean eof;

    UserCsv(InputStream in) {
        this.in = in;
    }

    /** The next line that is neither blank nor a comment, or null at the end of the file. */
    Line next() throws IOException {
        while (true) {
            int length = readLine();
            if (length < 0) {
                return null;
            }
            number++;
            if (length > MAX_LINE_BYTES) {
                return new Line(number, List.of(), "the line is longer than " + MAX_LINE_BYTES + " bytes");
            }
            int start = 0;
            if (number == 1 && length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb
                    && (line[2] & 0xff) == 0xbf) {
                start = 3; // a byte order mark, as some editors write UTF-8
            }
            String text;
            try {
                text = utf8.decode(ByteBuffer.wrap(line, start, length - start)).toString();
            } catch (CharacterCodingException e) {
                return new Line(number, List.of(), "the line is not valid UTF-8");
            }
            String trimmed = text.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                return new Line(number, fields(text), null);
            } catch (IllegalArgumentException e) {
                return new Line(number, List.of(), e.getMessage());
            }
        }
    }

    /**
     * Splits one line into fields: spaces and tabs around a field are dropped, quotes keep
     * everything between them. {@link IllegalArgumentException} says what is wrong.
     */
    static List<String> fields(String text) {
        List<String> out = new ArrayList<>(3);
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (true) {
            field.setLength(0);
            i = skipBlanks(text, i);
            int index = out.size() + 1;
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("field " + index + " opens a quote that is not closed");
                    }
                    char c = text.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < n && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                i = skipBlanks(text, i);
                if (i < n && text.charAt(i) != ',') {
                    throw new IllegalArgumentException("field " + index + " has text after its closing quote");
                }
            } else {
                int comma = text.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                String raw = text.substring(i, end).strip();
                if (raw.indexOf('"') >= 0) {
                    throw new IllegalArgumentException("field " + index + " has a quote inside it: quote the"
                            + " whole field and double the quote (\"a\"\"b\")");
                }
                field.append(raw);
                i = end;
            }
            out.add(field.toString());
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }

    private static int skipBlanks(String text, int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Reads up to the next LF (a CR before it is dropped) into {@link #line}; returns the length,
     * which may exceed what was kept (only the first {@link #MAX_LINE_BYTES} + 1 are), or -1 at
     * the end of the file.
     */
    private int readLine() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    return any ? trimCr(length) : -1;
                }
            }
            any = true;
            byte b = buffer[pos++];
            if (b == '\n') {
                return trimCr(length);
            }
            if (length <= MAX_LINE_BYTES) {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE_BYTES + 1));
                }
                line[length] = b;
            }
            length++;
        }
    }

    private int trimCr(int length) {
        return length > 0 && length <= MAX_LINE_BYTES && line[length - 1] == '\r' ? length - 1 : length;
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = read;
        return true;
    }
}
