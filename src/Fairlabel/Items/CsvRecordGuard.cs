namespace Fairlabel.Items;

/// A CSV record longer than the import's limit, found before the parser holds it.
public sealed class RecordTooLongException(long line, int limit)
    : Exception($"the record starting on line {line} is longer than {limit:N0} characters")
{
    public long Line => line;
    public int Limit => limit;
}

/// Passes a CSV file's text to the parser and stops it at a record longer than the limit, so a
/// file of one 50 MB line costs no more memory than the limit. A record ends at a line break
/// (\n, \r\n or \r) outside quotes: after an even number of quote characters, as RFC 4180 quoting works (and as
/// the parser counts them).
public sealed class CsvRecordGuard(TextReader inner, int maxRecordLength) : TextReader
{
    long _line = 1, _recordStartLine = 1;
    int _recordLength;
    bool _quoted, _afterCarriageReturn;

    public override int Read(Span<char> buffer)
    {
        var read = inner.Read(buffer);
        Check(buffer[..read]);
        return read;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Peek() => inner.Peek();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    void Check(ReadOnlySpan<char> text)
    {
        while (true)
        {
            var next = text.IndexOfAny('\n', '\r', '"');
            if (next < 0)
            {
                if (text.Length > 0) _afterCarriageReturn = false;
                Grow(text.Length);
                return;
            }
            Grow(next + 1);
            var c = text[next];
            if (c == '"')
            {
                _quoted = !_quoted;
                _afterCarriageReturn = false;
            }
            else
            {
                // \r\n, \n and a lone \r each end one line.
                if (c == '\r' || next > 0 || !_afterCarriageReturn) _line++;
                _afterCarriageReturn = c == '\r';
                if (!_quoted) (_recordLength, _recordStartLine) = (0, _line);
            }
            text = text[(next + 1)..];
        }
    }

    void Grow(int characters)
    {
        _recordLength += characters;
        if (_recordLength > maxRecordLength + 2) throw new RecordTooLongException(_recordStartLine, maxRecordLength);
    }
}
