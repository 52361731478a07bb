using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Transmission.Testing.Faults;

/// <summary>
/// What the proxy does to one relayed connection. Byte counts are of the client→server direction ("up"), which is
/// the station's upload; all faults act on plain TCP below TLS, so mutual TLS stays end to end.
/// </summary>
/// <param name="Latency">Added one-way delay for every chunk, both directions (a delay line: throughput is kept).</param>
/// <param name="BytesPerSecond">Bandwidth cap per direction; null is unlimited.</param>
/// <param name="ResetAfterUpBytes">After this many up bytes, both sockets are closed with RST (linger 0).</param>
/// <param name="StallAfterUpBytes">After this many up bytes, nothing is forwarded either way for <paramref name="StallFor"/>.</param>
/// <param name="StallFor">How long a stall lasts.</param>
/// <param name="BlackholeAfterUpBytes">
/// After this many up bytes the connection goes half-open: what arrives from either side is read and silently
/// discarded, no socket is closed, so neither peer learns anything from TCP (the peer "never answers").
/// </param>
/// <param name="DropDownOnly">With <paramref name="BlackholeAfterUpBytes"/>: keep forwarding up, drop only server→client.</param>
public sealed record ConnectionFault(
    TimeSpan Latency = default,
    int? BytesPerSecond = null,
    long? ResetAfterUpBytes = null,
    long? StallAfterUpBytes = null,
    TimeSpan StallFor = default,
    long? BlackholeAfterUpBytes = null,
    bool DropDownOnly = false)
{
    /// <summary>Forwards everything unchanged.</summary>
    public static ConnectionFault None { get; } = new();
}

/// <summary>
/// A TCP relay on 127.0.0.1 that injects network faults between a client and a server: added latency, throttled
/// bandwidth, stalls, connections reset mid-stream and half-open connections. Each accepted connection gets the
/// <see cref="ConnectionFault"/> that <see cref="FaultFor"/> returns for its number (1, 2, ...), so a test decides
/// which connections suffer and can let later ones through. Kernel traffic shaping is not available on the test
/// machines, hence a relay.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const int ChunkSize = 16 * 1024;
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _relays = [];
    private readonly List<RelayedConnection> _open = [];
    private readonly Lock _lock = new();
    private int _connections;
    private int _resets;
    private int _stalls;
    private int _blackholes;
    private long _droppedBytes;

    /// <summary>Starts relaying 127.0.0.1:(free port) to <paramref name="target"/>.</summary>
    public FaultProxy(IPEndPoint target, Func<int, ConnectionFault>? faultFor = null)
    {
        _target = target;
        FaultFor = faultFor ?? (_ => ConnectionFault.None);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Starts relaying to the port of <paramref name="server"/> (an https://host:port address) on 127.0.0.1.</summary>
    public FaultProxy(Uri server, Func<int, ConnectionFault>? faultFor = null)
        : this(new IPEndPoint(IPAddress.Loopback, server.Port), faultFor)
    {
    }

    /// <summary>The fault of connection number n (1-based). May be replaced while the proxy runs.</summary>
    public Func<int, ConnectionFault> FaultFor { get; set; }

    /// <summary>The port the proxy listens on.</summary>
    public int Port { get; }

    /// <summary>https://localhost:PORT/ (the development server certificate names localhost).</summary>
    public Uri Address => new($"https://localhost:{Port}/");

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections the proxy reset.</summary>
    public int Resets => Volatile.Read(ref _resets);

    /// <summary>Stalls the proxy injected.</summary>
    public int Stalls => Volatile.Read(ref _stalls);

    /// <summary>Connections the proxy turned half-open.</summary>
    public int Blackholes => Volatile.Read(ref _blackholes);

    /// <summary>Bytes read and silently discarded on half-open connections.</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedBytes);

    /// <summary>
    /// Turns every connection open now half-open at once (both directions silently dropped, nothing closed): the
    /// network between the peers "goes away" mid-call. New connections still get <see cref="FaultFor"/>.
    /// </summary>
    public void GoHalfOpen()
    {
        lock (_lock)
        {
            foreach (var connection in _open)
            {
                connection.Blackhole();
            }
        }
    }

    /// <summary>A one-line summary for test output and failure messages.</summary>
    public override string ToString() =>
        $"connections {Connections}, resets {Resets}, stalls {Stalls}, half-open {Blackholes} ({DroppedBytes} bytes dropped)";

    /// <summary>Stops accepting and closes every relayed connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] relays;
        lock (_lock)
        {
            relays = [.. _relays];
        }

        try
        {
            await Task.WhenAll(relays.Append(_acceptLoop)).WaitAsync(TestTimeouts.Default);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Relays end by cancellation.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var number = Interlocked.Increment(ref _connections);
            var relay = Task.Run(() => RelayAsync(client, FaultFor(number)));
            lock (_lock)
            {
                _relays.Add(relay);
            }
        }
    }

    private async Task RelayAsync(Socket client, ConnectionFault fault)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var connection = new RelayedConnection(this, client, server, fault);
        lock (_lock)
        {
            _open.Add(connection);
        }

        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            await connection.RunAsync(_stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException or IOException)
        {
            // The connection ended (reset, closed by a peer, or the proxy stopped).
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(connection);
            }

            client.Dispose();
        }
    }

    /// <summary>One client connection and its server connection, with the fault's state.</summary>
    private sealed class RelayedConnection : IDisposable
    {
        private readonly FaultProxy _proxy;
        private readonly Socket _client;
        private readonly Socket _server;
        private readonly ConnectionFault _fault;
        private readonly CancellationTokenSource _end = new();
        private long _upBytes;
        private int _blackholed;
        private int _reset;
        private int _stalled;
        private long _stallUntilTicks;

        public RelayedConnection(FaultProxy proxy, Socket client, Socket server, ConnectionFault fault)
        {
            _proxy = proxy;
            _client = client;
            _server = server;
            _fault = fault;
            client.NoDelay = true;
            server.NoDelay = true;
        }

        private bool Blackholed => Volatile.Read(ref _blackholed) == 1;

        public void Blackhole()
        {
            if (Interlocked.Exchange(ref _blackholed, 1) == 0)
            {
                Interlocked.Increment(ref _proxy._blackholes);
            }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _end.Token);
            var up = PumpAsync(_client, _server, isUp: true, linked.Token);
            var down = PumpAsync(_server, _client, isUp: false, linked.Token);
            var first = await Task.WhenAny(up, down);
            if (Blackholed)
            {
                // A half-open connection is never closed by the proxy: it lasts until the proxy stops.
                await Task.WhenAll(up, down);
                return;
            }

            // One side closed: pass the close on and end the other direction.
            await first;
            await _end.CancelAsync();
            await Task.WhenAll(up, down);
        }

        public void Dispose()
        {
            _end.Dispose();
        }

        private async Task PumpAsync(Socket from, Socket to, bool isUp, CancellationToken token)
        {
            // Reading and writing are decoupled by a delay line, so latency delays bytes without limiting throughput.
            var line = Channel.CreateUnbounded<(byte[] Bytes, long DueTicks)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var writer = WriteAsync(line.Reader, to, isUp, token);
            var buffer = new byte[ChunkSize];
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None, token);
                    if (read == 0)
                    {
                        break;
                    }

                    if (Blackholed && (!isUp || !_fault.DropDownOnly))
                    {
                        Interlocked.Add(ref _proxy._droppedBytes, read);
                        continue;
                    }

                    var due = Environment.TickCount64 + (long)_fault.Latency.TotalMilliseconds;
                    line.Writer.TryWrite((buffer[..read], due));
                    if (isUp)
                    {
                        var total = Interlocked.Add(ref _upBytes, read);
                        Trigger(total);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Ended by the other direction or the proxy.
            }
            finally
            {
                line.Writer.TryComplete();
            }

            await writer;
        }

        private void Trigger(long upBytes)
        {
            if (_fault.BlackholeAfterUpBytes is { } blackhole && upBytes >= blackhole)
            {
                Blackhole();
            }

            if (_fault.StallAfterUpBytes is { } stall && upBytes >= stall && Interlocked.Exchange(ref _stalled, 1) == 0)
            {
                Interlocked.Exchange(ref _stallUntilTicks, Environment.TickCount64 + (long)_fault.StallFor.TotalMilliseconds);
                Interlocked.Increment(ref _proxy._stalls);
            }

            if (_fault.ResetAfterUpBytes is { } reset && upBytes >= reset && Interlocked.Exchange(ref _reset, 1) == 0)
            {
                Interlocked.Increment(ref _proxy._resets);

                // Linger 0 makes Close send RST instead of FIN: both peers see "connection reset by peer" mid-stream.
                foreach (var socket in new[] { _client, _server })
                {
                    try
                    {
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException)
                    {
                        // Already gone.
                    }
                }
            }
        }

        private async Task WriteAsync(ChannelReader<(byte[] Bytes, long DueTicks)> line, Socket to, bool isUp, CancellationToken token)
        {
            try
            {
                await foreach (var (bytes, due) in line.ReadAllAsync(token))
                {
                    var wait = due - Environment.TickCount64;
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(wait), token);
                    }

                    var stallLeft = Interlocked.Read(ref _stallUntilTicks) - Environment.TickCount64;
                    if (stallLeft > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(stallLeft), token);
                    }

                    if (Blackholed && (!isUp || !_fault.DropDownOnly))
                    {
                        Interlocked.Add(ref _proxy._droppedBytes, bytes.Length);
                        continue;
                    }

                    await SendThrottledAsync(to, bytes, token);
                }

                if (!Blackholed)
                {
                    // The source closed cleanly: pass the FIN on.
                    to.Shutdown(SocketShutdown.Send);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException)
            {
                // Ended by the other direction or the proxy.
            }
        }

        private async Task SendThrottledAsync(Socket to, byte[] bytes, CancellationToken token)
        {
            if (_fault.BytesPerSecond is not { } rate)
            {
                await SendAllAsync(to, bytes, token);
                return;
            }

            // Slices of a tenth of a second's worth, each followed by its share of the second.
            var slice = Math.Max(1, rate / 10);
            for (var offset = 0; offset < bytes.Length; offset += slice)
            {
                var length = Math.Min(slice, bytes.Length - offset);
                await SendAllAsync(to, bytes.AsMemory(offset, length), token);
                await Task.Delay(TimeSpan.FromSeconds((double)length / rate), token);
            }
        }

        private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> bytes, CancellationToken token)
        {
            while (!bytes.IsEmpty)
            {
                var sent = await to.SendAsync(bytes, SocketFlags.None, token);
                bytes = bytes[sent..];
            }
        }
    }
}
