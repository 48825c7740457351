using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fairlabel.LoadGen.Tests;

/// The load generator's HTTP client against a loopback server that sends exactly the bytes each
/// test gives it, in the pieces it gives them: the figures in docs/benchmarks.md rest on this
/// client reading statuses, bodies and `Server-Timing` right.
public sealed class RawConnectionTests : IDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly List<Socket> _accepted = [];

    public RawConnectionTests() => _listener.Start();

    Uri Server => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// A client that never connects or never sends fails the test instead of hanging it.
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// Accepts (or reuses) a connection, reads one request, and answers with the pieces given,
    /// each sent separately so that the client must put them together. Returns the request.
    async Task<string> AnswerAsync(bool newConnection, params string[] pieces)
    {
        if (newConnection) _accepted.Add(await _listener.AcceptSocketAsync().WaitAsync(Patience));
        var socket = _accepted[^1];
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer).WaitAsync(Patience);
            if (read == 0) break;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            var text = request.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length: ", StringComparison.Ordinal)) is { } line
                ? int.Parse(line["Content-Length: ".Length..]) : 0;
            if (text.Length >= end + 4 + length) break;
        }
        foreach (var piece in pieces)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(piece));
            await Task.Delay(5);
        }
        return request.ToString();
    }

    [Fact]
    public async Task A_chunked_body_sent_in_pieces_is_put_together_and_the_server_timing_is_read()
    {
        using var connection = new RawConnection(Server, TimeSpan.FromSeconds(5));
        var sending = connection.SendAsync("POST", "/api/work/tasks/7/submit", "Authorization: Bearer t\r\n"u8.ToArray(), "{\"a\":1}"u8.ToArray()).AsTask();
        var request = await AnswerAsync(true,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nServer-Timing: app;dur=1.25, db;dur=0.8\r\nTransfer-Encoding: chunked\r\n\r\ne\r\n{\"ass",
            "ignmentId\r\n", "c;ext=1\r\n\":42,\"x\":[]}\r\n0\r\n", "\r\n");
        var response = await sending;

        Assert.Equal(200, response.Status);
        Assert.Equal("{\"assignmentId\":42,\"x\":[]}", Encoding.ASCII.GetString(response.Body.Span));
        Assert.Equal(1250, response.ServerMicros);
        Assert.Equal(800, response.WriteMicros);
        Assert.StartsWith("POST /api/work/tasks/7/submit HTTP/1.1\r\nHost: 127.0.0.1:", request);
        Assert.Contains("\r\nAuthorization: Bearer t\r\nContent-Length: 7\r\n\r\n{\"a\":1}", request);
    }

    [Fact]
    public async Task The_connection_is_kept_for_the_next_request_and_content_length_bodies_are_read_whole()
    {
        using var connection = new RawConnection(Server, TimeSpan.FromSeconds(5));
        var first = connection.SendAsync("GET", "/health", ReadOnlyMemory<byte>.Empty).AsTask();
        await AnswerAsync(true, "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\"", ":\"ok\"}");
        Assert.Equal("{\"status\":\"ok\"}", Encoding.ASCII.GetString((await first).Body.Span));

        var second = connection.SendAsync("POST", "/next", ReadOnlyMemory<byte>.Empty).AsTask();
        await AnswerAsync(false, "HTTP/1.1 204 No Content\r\nServer-Timing: app;dur=0.5\r\n\r\n");
        var none = await second;
        Assert.Equal(204, none.Status);
        Assert.True(none.Body.IsEmpty);
        Assert.Equal(500, none.ServerMicros);
        Assert.Equal(0, none.WriteMicros);
        Assert.Single(_accepted);
    }

    [Fact]
    public async Task After_connection_close_the_next_request_opens_a_new_connection()
    {
        using var connection = new RawConnection(Server, TimeSpan.FromSeconds(5));
        var first = connection.SendAsync("GET", "/a", ReadOnlyMemory<byte>.Empty).AsTask();
        await AnswerAsync(true, "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
        Assert.Equal(503, (await first).Status);

        var second = connection.SendAsync("GET", "/b", ReadOnlyMemory<byte>.Empty).AsTask();
        var request = await AnswerAsync(true, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(200, (await second).Status);
        Assert.StartsWith("GET /b HTTP/1.1", request);
        Assert.Equal(2, _accepted.Count);
    }

    [Fact]
    public async Task A_connection_closed_mid_body_is_a_connection_error_and_the_next_request_reconnects()
    {
        using var connection = new RawConnection(Server, TimeSpan.FromSeconds(5));
        var sending = connection.SendAsync("GET", "/a", ReadOnlyMemory<byte>.Empty).AsTask();
        await AnswerAsync(true, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"part");
        _accepted[^1].Shutdown(SocketShutdown.Both);
        var error = await Assert.ThrowsAsync<RawHttpException>(() => sending);
        Assert.Equal("connection", error.Kind);

        var again = connection.SendAsync("GET", "/b", ReadOnlyMemory<byte>.Empty).AsTask();
        await AnswerAsync(true, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(200, (await again).Status);
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_a_timeout_and_the_next_request_still_goes_out()
    {
        using var connection = new RawConnection(Server, TimeSpan.FromMilliseconds(300));
        var sending = connection.SendAsync("GET", "/slow", ReadOnlyMemory<byte>.Empty).AsTask();
        _accepted.Add(await _listener.AcceptSocketAsync().WaitAsync(Patience));
        var error = await Assert.ThrowsAsync<RawHttpException>(() => sending);
        Assert.Equal("timeout", error.Kind);

        var again = connection.SendAsync("GET", "/b", ReadOnlyMemory<byte>.Empty).AsTask();
        await AnswerAsync(true, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(200, (await again).Status);
    }

    [Fact]
    public void Server_timing_figures_are_read_in_either_order_and_missing_ones_are_zero()
    {
        Assert.Equal((2500L, 1000L), RawConnection.ServerTiming("db;dur=1, app;dur=2.5"u8));
        Assert.Equal((300L, 0L), RawConnection.ServerTiming("app;dur=0.3"u8));
        Assert.Equal((0L, 0L), RawConnection.ServerTiming("cache;desc=miss"u8));
    }

    public void Dispose()
    {
        foreach (var socket in _accepted) socket.Dispose();
        _listener.Stop();
    }
}
