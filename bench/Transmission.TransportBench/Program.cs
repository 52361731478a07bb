using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Testing;
using Microsoft.Extensions.Logging;
using Transmission.Grpc;
using Transmission.Testing;

// Usage:
//   transmission-transportbench [--seconds S] [--rounds R] [--repo DIR]     runs the comparison, writes artifacts/bench/transport-*.json
//   transmission-transportbench serve-ours --pem-dir DIR                   (internal) our server, in its own process
if (args.Length > 0 && args[0] == "serve-ours")
{
    return await ServeOursAsync(args[2]);
}

var seconds = 5;
var rounds = 3;
string? repo = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0:
            seconds = s;
            i++;
            break;
        case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
            rounds = r;
            i++;
            break;
        case "--repo" when i + 1 < args.Length:
            repo = args[++i];
            break;
        default:
            Console.Error.WriteLine($"error: unexpected argument '{args[i]}' (usage: [--seconds S] [--rounds R] [--repo DIR])");
            return 2;
    }
}

repo ??= FindRepo(Directory.GetCurrentDirectory());
if (repo is null)
{
    Console.Error.WriteLine("error: no Transmission.sln in this folder or above it; give --repo");
    return 2;
}

var work = Path.Combine(repo, "artifacts", "bench", "transport-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
Directory.CreateDirectory(work);
var pemDir = Path.Combine(work, "pem");

// Our server first: it makes the certificates (TestCertificates) and writes them as PEM for the other two.
await using var ours = await ServerProcess.StartAsync("dotnet", [typeof(Program).Assembly.Location, "serve-ours", "--pem-dir", pemDir], work);
var generated = Path.Combine(work, "pb2");
Directory.CreateDirectory(generated);
var protoDir = Path.Combine(repo, "tests", "Transmission.Testing", "Protos");
using (var protoc = Process.Start("protoc", ["-I", protoDir, "--python_out=" + generated, "grpc/testing/empty.proto", "grpc/testing/messages.proto"]))
{
    await protoc.WaitForExitAsync();
    if (protoc.ExitCode != 0)
    {
        Console.Error.WriteLine("error: protoc failed (apt-get install protobuf-compiler)");
        return 1;
    }
}

// Debian's interpreter: it has python3-grpcio (gRPC C-core); a pyenv python3 first on PATH may not.
await using var grpcio = await ServerProcess.StartAsync("/usr/bin/python3",
[
    Path.Combine(repo, "tests", "interop", "python", "interop_server.py"), "--host", "127.0.0.1", "--port", "0",
    "--ca", Path.Combine(pemDir, "ca.pem"), "--cert", Path.Combine(pemDir, "server.pem"), "--key", Path.Combine(pemDir, "server.key"),
    "--generated-dir", generated, "--exit-on-stdin-eof",
], work);

using var client = X509Certificate2.CreateFromPemFile(Path.Combine(pemDir, "client.pem"), Path.Combine(pemDir, "client.key"));
using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(pemDir, "ca.pem"));
var servers = new[] { ("ours (Kestrel)", ours), ("grpcio (C-core)", grpcio) };
var workloads = new (string Name, Func<GrpcChannel, TimeSpan, Task<long>> Run)[]
{
    ("unary, 16 concurrent calls", (c, d) => Workloads.UnaryAsync(c, 16, d)),
    ("client streaming, 8 streams", (c, d) => Workloads.ClientStreamingAsync(c, 8, d)),
    ("bidi streaming, 8 streams", (c, d) => Workloads.BidiAsync(c, 8, d)),
};

var results = new List<object>();
Console.WriteLine($"load average before: {LoadAverage()}");
foreach (var (workload, run) in workloads)
{
    var perServer = servers.ToDictionary(s => s.Item1, _ => new List<(double Rate, double ServerCpu)>());
    foreach (var (name, server) in servers)
    {
        using var channel = GrpcChannel.ForAddress(new Uri($"https://localhost:{server.Port}"), new GrpcChannelOptions { ClientCertificate = client, TrustedRoots = [ca] });
        await run(channel, TimeSpan.FromSeconds(1)); // warm-up, not counted
    }

    // Rounds alternate between the servers, so both see the same machine load.
    for (var round = 0; round < rounds; round++)
    {
        foreach (var (name, server) in servers)
        {
            using var channel = GrpcChannel.ForAddress(new Uri($"https://localhost:{server.Port}"), new GrpcChannelOptions { ClientCertificate = client, TrustedRoots = [ca] });
            var cpu = server.CpuSeconds();
            var watch = Stopwatch.StartNew();
            var messages = await run(channel, TimeSpan.FromSeconds(seconds));
            var elapsed = watch.Elapsed.TotalSeconds;
            var rate = messages / elapsed;
            perServer[name].Add((rate, (server.CpuSeconds() - cpu) / elapsed));
            Console.WriteLine($"{workload,-30} {name,-16} round {round + 1}: {rate,10:F0} messages/s, server {perServer[name][^1].ServerCpu:F2} cores (load {LoadAverage()})");
        }
    }

    var oursMedian = Median(perServer[servers[0].Item1].Select(r => r.Rate));
    var theirsMedian = Median(perServer[servers[1].Item1].Select(r => r.Rate));
    Console.WriteLine($"{workload,-30} ratio ours / C-core (medians): {oursMedian / theirsMedian:F2}");
    results.Add(new
    {
        workload,
        ours = perServer[servers[0].Item1].Select(r => new { messagesPerSecond = r.Rate, serverCores = r.ServerCpu }),
        grpcio = perServer[servers[1].Item1].Select(r => new { messagesPerSecond = r.Rate, serverCores = r.ServerCpu }),
        oursMedian,
        grpcioMedian = theirsMedian,
        ratio = oursMedian / theirsMedian,
    });
}

var json = JsonSerializer.Serialize(new { messageBytes = Workloads.MessageBytes, seconds, rounds, loadAverageAfter = LoadAverage(), results }, new JsonSerializerOptions { WriteIndented = true });
await File.WriteAllTextAsync(work + ".json", json);
Console.WriteLine($"wrote {work}.json");
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static string? FindRepo(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Transmission.sln")))
        {
            return dir.FullName;
        }
    }

    return null;
}

static async Task<int> ServeOursAsync(string pemDir)
{
    using var certificates = new TestCertificates("Transport Bench CA");
    certificates.WritePemFiles(pemDir);
    await using var server = await TestServer.StartAsync(o =>
    {
        o.Certificates = certificates;
        o.MinimumLogLevel = LogLevel.Warning;
        o.ConfigureEndpoints = e => e.MapGrpcService<InteropTestService>(InteropTestService.Descriptor);
    });
    Console.WriteLine($"PORT {server.Port}");
    // Until the parent closes stdin.
    await Console.In.ReadToEndAsync();
    return 0;
}

/// <summary>The three workloads: each returns how many 1.5 KB messages went each way in <c>duration</c>.</summary>
internal static class Workloads
{
    public const int MessageBytes = 1536;
    private static readonly Method<SimpleRequest, SimpleResponse> Unary = Bind<SimpleRequest, SimpleResponse>("UnaryCall");
    private static readonly Method<StreamingInputCallRequest, StreamingInputCallResponse> ClientStreaming = Bind<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall");
    private static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> Duplex = Bind<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall");
    private static readonly ByteString Body = ByteString.CopyFrom(new byte[MessageBytes]);

    private static Method<TRequest, TResponse> Bind<TRequest, TResponse>(string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Method<TRequest, TResponse>.FromDescriptor(InteropTestService.Descriptor.FindMethodByName(name));

    /// <summary>Unary: a 1.5 KB request, a 1.5 KB response; <paramref name="concurrency"/> calls in flight on one connection.</summary>
    public static async Task<long> UnaryAsync(GrpcChannel channel, int concurrency, TimeSpan duration)
    {
        long count = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var request = new SimpleRequest { ResponseSize = MessageBytes, Payload = new Payload { Body = Body } };
            while (watch.Elapsed < duration)
            {
                using var call = channel.AsyncUnaryCall(Unary, request, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(30)));
                var response = await call.ResponseAsync;
                if (response.Payload.Body.Length != MessageBytes)
                {
                    throw new InvalidOperationException("short response");
                }

                Interlocked.Increment(ref count);
            }
        }));
        return count;
    }

    /// <summary>Client streaming: each stream sends 1.5 KB messages until the time is up; the server sums their sizes.</summary>
    public static async Task<long> ClientStreamingAsync(GrpcChannel channel, int streams, TimeSpan duration)
    {
        long count = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            var request = new StreamingInputCallRequest { Payload = new Payload { Body = Body } };
            using var call = channel.AsyncClientStreamingCall(ClientStreaming, new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(5)));
            long sent = 0;
            while (watch.Elapsed < duration)
            {
                await call.RequestStream.WriteAsync(request);
                sent++;
            }

            await call.RequestStream.CompleteAsync();
            var response = await call.ResponseAsync;
            if (response.AggregatedPayloadSize != sent * MessageBytes)
            {
                throw new InvalidOperationException($"server counted {response.AggregatedPayloadSize} bytes of {sent * MessageBytes}");
            }

            Interlocked.Add(ref count, sent);
        }));
        return count;
    }

    /// <summary>Bidi streaming: each request asks for one 1.5 KB response; the writer runs up to 64 ahead of the reader.</summary>
    public static async Task<long> BidiAsync(GrpcChannel channel, int streams, TimeSpan duration)
    {
        long count = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            var request = new StreamingOutputCallRequest { Payload = new Payload { Body = Body } };
            request.ResponseParameters.Add(new ResponseParameters { Size = MessageBytes });
            using var call = channel.AsyncDuplexStreamingCall(Duplex, new CallOptions(Deadline: DateTime.UtcNow.AddMinutes(5)));
            using var window = new SemaphoreSlim(64);
            long sent = 0;
            var writer = Task.Run(async () =>
            {
                while (watch.Elapsed < duration)
                {
                    await window.WaitAsync();
                    await call.RequestStream.WriteAsync(request);
                    sent++;
                }

                await call.RequestStream.CompleteAsync();
            });
            long received = 0;
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (call.ResponseStream.Current.Payload.Body.Length != MessageBytes)
                {
                    throw new InvalidOperationException("short response");
                }

                received++;
                window.Release();
            }

            await writer;
            if (received != sent)
            {
                throw new InvalidOperationException($"{received} responses for {sent} requests");
            }

            Interlocked.Add(ref count, received);
        }));
        return count;
    }
}

/// <summary>A server in its own process that prints "PORT n" and stops when its stdin closes.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<ServerProcess> StartAsync(string file, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("PORT ", StringComparison.Ordinal))
            {
                return new ServerProcess(process, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException($"{file} ended before printing its port");
    }

    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
