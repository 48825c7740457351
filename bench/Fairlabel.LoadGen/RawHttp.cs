using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fairlabel.LoadGen;

/// What a request got back: the status, the body (valid until the connection's next request),
/// and the server's own time and its wait for writes from `Server-Timing`, in microseconds.
readonly record struct RawResponse(int Status, ReadOnlyMemory<byte> Body, long ServerMicros, long WriteMicros);

/// The request failed on the way: the connection broke, or no answer came within the timeout.
sealed class RawHttpException(string kind, Exception? inner = null) : Exception(kind, inner)
{
    public string Kind => Message;
}

/// One simulated tasker's keep-alive HTTP/1.1 connection, written for the load generator alone.
///
/// Why not HttpClient: the generator shares the two cores with the servers and the database, and
/// every microsecond it spends is one they do not have. With HttpClient it took about 160 µs of CPU per
/// cycle at 2,100 cycles/s on PostgreSQL; with this client (and inline socket completions, see
/// Program.cs) 117 µs. It sends preformatted requests and
/// reads only what the generator needs (status, a Content-Length or chunked body, Server-Timing),
/// one request at a time on a keep-alive connection: plain HTTP/1.1, as any client sends it.
sealed class RawConnection(Uri server, TimeSpan timeout) : IDisposable
{
    static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    readonly byte[] _hostLine = Encoding.ASCII.GetBytes($"Host: {server.Authority}\r\n");
    CancellationTokenSource _timeout = new();
    Socket? _socket;
    byte[] _request = new byte[1024];
    byte[] _response = new byte[8192];
    byte[] _body = new byte[4096];

    /// Sends `METHOD path` with the given header lines (each ending in CRLF) and body, and reads
    /// the whole response.
    public async ValueTask<RawResponse> SendAsync(string method, string path, ReadOnlyMemory<byte> headerLines,
        ReadOnlyMemory<byte> body = default)
    {
        var length = WriteRequest(method, path, headerLines.Span, body.Span);
        if (!_timeout.TryReset())
        {
            // The last request timed out: a cancelled source cannot be reused.
            _timeout.Dispose();
            _timeout = new CancellationTokenSource();
        }
        _timeout.CancelAfter(timeout);
        try
        {
            var socket = _socket ??= await ConnectAsync(_timeout.Token);
            await socket.SendAsync(_request.AsMemory(0, length), SocketFlags.None, _timeout.Token);
            var response = await ReadResponseAsync(socket, _timeout.Token);
            return response;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or FormatException)
        {
            Close();
            throw new RawHttpException(e is OperationCanceledException ? "timeout" : e is FormatException ? "bad response" : "connection", e);
        }
    }

    async Task<Socket> ConnectAsync(CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(server.Host, server.Port), cancel);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    int WriteRequest(string method, string path, ReadOnlySpan<byte> headerLines, ReadOnlySpan<byte> body)
    {
        var needed = method.Length + path.Length + _hostLine.Length + headerLines.Length + body.Length + 64;
        if (_request.Length < needed) _request = new byte[needed * 2];
        var span = _request.AsSpan();
        var at = Encoding.ASCII.GetBytes(method, span);
        span[at++] = (byte)' ';
        at += Encoding.ASCII.GetBytes(path, span[at..]);
        at += Copy(" HTTP/1.1\r\n"u8, span[at..]);
        at += Copy(_hostLine, span[at..]);
        at += Copy(headerLines, span[at..]);
        at += Copy("Content-Length: "u8, span[at..]);
        Utf8Formatter.TryFormat(body.Length, span[at..], out var digits);
        at += digits;
        at += Copy("\r\n\r\n"u8, span[at..]);
        at += Copy(body, span[at..]);
        return at;
    }

    static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }

    async ValueTask<RawResponse> ReadResponseAsync(Socket socket, CancellationToken cancel)
    {
        // Headers: read until the blank line.
        var filled = 0;
        int headerEnd;
        while ((headerEnd = _response.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
        {
            if (filled == _response.Length) Array.Resize(ref _response, _response.Length * 2);
            var read = await socket.ReceiveAsync(_response.AsMemory(filled), SocketFlags.None, cancel);
            if (read == 0) throw new IOException("the server closed the connection");
            filled += read;
        }
        var head = ParseHead(_response.AsSpan(0, headerEnd));
        var bodyStart = headerEnd + HeaderEnd.Length;
        if (head.Status is 204 or 304 || head.Status < 200)
        {
            if (head.Close) Close();
            return new RawResponse(head.Status, ReadOnlyMemory<byte>.Empty, head.ServerMicros, head.WriteMicros);
        }

        int bodyLength;
        if (head.Chunked) bodyLength = await ReadChunkedAsync(socket, bodyStart, filled, cancel);
        else
        {
            bodyLength = head.ContentLength ?? throw new FormatException("a response with neither Content-Length nor chunked body");
            if (_body.Length < bodyLength) _body = new byte[bodyLength * 2];
            var have = Math.Min(filled - bodyStart, bodyLength);
            _response.AsSpan(bodyStart, have).CopyTo(_body);
            while (have < bodyLength)
            {
                var read = await socket.ReceiveAsync(_body.AsMemory(have, bodyLength - have), SocketFlags.None, cancel);
                if (read == 0) throw new IOException("the server closed the connection mid-body");
                have += read;
            }
        }
        if (head.Close) Close();
        return new RawResponse(head.Status, _body.AsMemory(0, bodyLength), head.ServerMicros, head.WriteMicros);
    }

    /// Kestrel sends JSON of unknown length in chunks: `size-in-hex CRLF data CRLF`, ended by a
    /// chunk of size 0 and a blank line. Decodes into the body buffer; returns its length.
    async ValueTask<int> ReadChunkedAsync(Socket socket, int at, int filled, CancellationToken cancel)
    {
        var bodyLength = 0;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _response.AsSpan(at, filled - at).IndexOf("\r\n"u8)) < 0)
                (at, filled) = await MoreAsync(socket, at, filled, cancel);
            var sizeText = _response.AsSpan(at, lineEnd);
            var semicolon = sizeText.IndexOf((byte)';');
            if (semicolon >= 0) sizeText = sizeText[..semicolon];
            if (!Utf8Parser.TryParse(sizeText, out int size, out _, 'x')) throw new FormatException("a bad chunk size");
            at += lineEnd + 2;
            if (size == 0)
            {
                // No trailers are sent: the final CRLF follows.
                while (filled - at < 2) (at, filled) = await MoreAsync(socket, at, filled, cancel);
                return bodyLength;
            }
            while (filled - at < size + 2) (at, filled) = await MoreAsync(socket, at, filled, cancel);
            if (_body.Length < bodyLength + size) Array.Resize(ref _body, (bodyLength + size) * 2);
            _response.AsSpan(at, size).CopyTo(_body.AsSpan(bodyLength));
            bodyLength += size;
            at += size + 2;
        }
    }

    /// Moves the unread bytes (from `at` to `filled`) to the front and receives more after them.
    async ValueTask<(int At, int Filled)> MoreAsync(Socket socket, int at, int filled, CancellationToken cancel)
    {
        _response.AsSpan(at, filled - at).CopyTo(_response);
        filled -= at;
        if (filled == _response.Length) Array.Resize(ref _response, _response.Length * 2);
        var read = await socket.ReceiveAsync(_response.AsMemory(filled), SocketFlags.None, cancel);
        if (read == 0) throw new IOException("the server closed the connection mid-body");
        return (0, filled + read);
    }

    readonly record struct Head(int Status, int? ContentLength, bool Chunked, bool Close, long ServerMicros, long WriteMicros);

    static Head ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
            throw new FormatException("not an HTTP/1.x status line");
        int? contentLength = null;
        bool chunked = false, close = false;
        long server = 0, write = 0;
        var rest = head[(head.IndexOf("\r\n"u8) is var first && first < 0 ? head.Length : first + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                contentLength = Utf8Parser.TryParse(value, out int n, out _) ? n : throw new FormatException("a bad Content-Length");
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
                chunked = value.IndexOf("chunked"u8) >= 0;
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            else if (Ascii.EqualsIgnoreCase(name, "Server-Timing"u8))
                (server, write) = ServerTiming(value);
        }
        return new Head(status, contentLength, chunked, close, server, write);
    }

    /// `app;dur=1.25, db;dur=0.8` (milliseconds) as the server writes it → microseconds; 0 for a
    /// figure it left out.
    public static (long Server, long Write) ServerTiming(ReadOnlySpan<byte> value)
    {
        long server = 0, write = 0;
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var metric = (comma < 0 ? value : value[..comma]).Trim((byte)' ');
            value = comma < 0 ? default : value[(comma + 1)..];
            var dur = metric.IndexOf(";dur="u8);
            if (dur < 0 || !Utf8Parser.TryParse(metric[(dur + 5)..], out double ms, out _)) continue;
            if (metric.StartsWith("app;"u8)) server = (long)(ms * 1000);
            else if (metric.StartsWith("db;"u8)) write = (long)(ms * 1000);
        }
        return (server, write);
    }

    void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    public void Dispose()
    {
        Close();
        _timeout.Dispose();
    }
}
