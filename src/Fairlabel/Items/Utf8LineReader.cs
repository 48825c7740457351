namespace Fairlabel.Items;

/// Reads a file's lines as raw UTF-8 bytes into one reused buffer, without decoding them (the
/// JSON parser reads UTF-8 itself). A line longer than the limit is reported as too long and
/// skipped to its end, never held: memory stays at the limit, whatever the file holds.
public sealed class Utf8LineReader(Stream stream, int maxLineBytes)
{
    byte[] _buffer = new byte[Math.Min(1 << 16, maxLineBytes + 2)];
    int _start, _end;
    bool _endOfFile;

    /// The number of the line last read, 1-based.
    public long LineNumber { get; private set; }

    /// The next line without its line ending (\n or \r\n), valid until the next call; false at
    /// the end of the file. A line over the limit comes back empty with <paramref name="tooLong"/>.
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0 || (_endOfFile && pending.Length > 0))
            {
                var length = newline >= 0 ? newline : pending.Length;
                line = _buffer.AsMemory(_start, length > 0 && pending[length - 1] == '\r' ? length - 1 : length);
                _start += newline >= 0 ? newline + 1 : length;
                return Counted(ref line, out tooLong);
            }
            if (_endOfFile)
            {
                line = default;
                return false;
            }
            if (pending.Length > maxLineBytes + 1)
            {
                SkipToNextLine();
                line = default;
                tooLong = true;
                LineNumber++;
                return true;
            }
            Fill();
        }
    }

    bool Counted(ref ReadOnlyMemory<byte> line, out bool tooLong)
    {
        LineNumber++;
        if (LineNumber == 1 && line.Span.StartsWith("\uFEFF"u8)) line = line[3..];
        tooLong = line.Length > maxLineBytes;
        if (tooLong) line = default;
        return true;
    }

    /// Moves what is left of the buffer to its front and reads more behind it, growing the buffer
    /// up to the line limit (and the two bytes of a line ending) when one line fills it.
    void Fill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            (_start, _end) = (0, pending);
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, maxLineBytes + 2L));
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _endOfFile = true;
        _end += read;
    }

    void SkipToNextLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                return;
            }
            (_start, _end) = (0, stream.Read(_buffer, 0, _buffer.Length));
            if (_end == 0)
            {
                _endOfFile = true;
                return;
            }
        }
    }
}
