using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Transmission.Central.Access;
using Transmission.Central.Audit;
using Transmission.Central.Connection;
using Transmission.Central.Dashboard;
using Transmission.Central.Review;
using Transmission.Central.Storage;
using Transmission.Central.Pki;
using Transmission.Central.Submission;
using Transmission.Contracts.V1;
using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Grpc;

namespace Transmission.Central.Hosting;

/// <summary>Builds Central's web host: Kestrel with election mutual TLS, the gRPC services and the verifiers' dashboard on one port.</summary>
public static class CentralHost
{
    /// <summary>
    /// Builds (does not start) Central for validated <paramref name="options"/>; relative paths
    /// are resolved against <paramref name="baseDirectory"/>. Logs go to <paramref name="loggerProvider"/>
    /// (Serilog in the <c>serve</c> command), which the caller owns.
    /// </summary>
    public static WebApplication Build(CentralOptions options, string baseDirectory, ILoggerProvider loggerProvider, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerProvider);
        if (!CentralOptions.TryParseListen(options.Listen, out var endpoint))
        {
            throw new ArgumentException($"Central:Listen '{options.Listen}' is not valid.", nameof(options));
        }

        // The election comes first: without a valid definition there is nothing to verify protocols against.
        var election = CentralElection.Load(CentralOptions.Resolve(baseDirectory, options.Election.Definition));
        RefuseDevelopmentRootForLiveElection(election, CentralOptions.Resolve(baseDirectory, options.Pki.RootCertificate));

        // Keys others may read are refused before anything is opened (the server key once more by KeyFiles when loaded).
        Cli.KeyFiles.RequireOwnerOnly(CentralOptions.Resolve(baseDirectory, options.Pki.ServerKey));
        Cli.KeyFiles.RequireOwnerOnly(CentralOptions.Resolve(baseDirectory, options.Pki.SigningKey));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = baseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(loggerProvider);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);

        builder.Services.AddSingleton<TimeProvider>(new MicrosecondTimeProvider(timeProvider ?? TimeProvider.System));
        builder.Services.AddElectionTrust(new ElectionTlsOptions
        {
            RootCertificatePath = CentralOptions.Resolve(baseDirectory, options.Pki.RootCertificate),
            CrlPath = CentralOptions.Resolve(baseDirectory, options.Pki.Crl),
            ServerCertificatePath = CentralOptions.Resolve(baseDirectory, options.Pki.ServerCertificate),
            ServerKeyPath = CentralOptions.Resolve(baseDirectory, options.Pki.ServerKey),
            CrlReloadInterval = options.Pki.CrlReloadInterval,
        });
        builder.Services.AddSingleton(election);
        builder.Services.AddSingleton(options.Submission);
        // Parsed signer certificates, shared by every verifier (a reloaded CRL gets a new verifier, not a new cache).
        builder.Services.AddSingleton(new SignerCertificateCache(options.Submission.SignerCacheCapacity));
        builder.Services.AddSingleton(services => ReceiptIssuer.Load(
            CentralOptions.Resolve(baseDirectory, options.Pki.SigningCertificate),
            CentralOptions.Resolve(baseDirectory, options.Pki.SigningKey),
            services.GetRequiredService<ReloadableElectionTrust>().Current,
            services.GetRequiredService<TimeProvider>().GetUtcNow(),
            election));
        builder.Services.AddSingleton<ILogIssuer>(services => services.GetRequiredService<ReceiptIssuer>());
        builder.Services.AddSingleton(services => SignerRevocationGate.For(services.GetRequiredService<ReloadableElectionTrust>(), services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SubmissionService>();
        builder.Services.AddGrpcServer(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;

            // Submit, the only call with a request stream, is written without pauses: Kestrel's minimum data rate
            // (Central:Limits) then cuts off a client that trickles its body.
            grpc.KeepMinRequestBodyDataRate = options.Limits.MinRequestBodyBytesPerSecond > 0;
        });
        builder.Services.AddCentralStorage(CentralOptions.Resolve(baseDirectory, options.DataDirectory), options.Storage);
        builder.Services.AddSingleton<TransmissionService>();
        builder.Services.AddSingleton<OpenCalls>();
        builder.Services.AddSingleton<CallerCertificates>();
        builder.Services.AddSingleton<CallerAuthorization>();
        builder.Services.AddSingleton<CrlUpdater>();
        builder.Services.AddSingleton<CrlWatcher>();
        // Registered before the web server starts (WebApplication starts hosted services first): the CRL in force is
        // reconciled with the stored ones and stored before the first connection is accepted.
        builder.Services.AddHostedService(services => services.GetRequiredService<CrlWatcher>());
        builder.Services.AddSingleton(options.Review);
        builder.Services.AddSingleton(services => services.GetRequiredService<SubmissionStore>().Changes);
        builder.Services.AddSingleton<ReviewBoard>();
        builder.Services.AddSingleton<DecisionDesk>();
        builder.Services.AddSingleton<StoredSubmissions>();
        builder.Services.AddSingleton<ReviewService>();
        builder.Services.AddSingleton<BundleExport>();
        builder.Services.AddSingleton<AuditService>();
        builder.Services.AddCentralDashboard();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            options.Limits.ApplyTo(kestrel.Limits);
            kestrel.Listen(endpoint, listen => listen.UseElectionMutualTls());
        });

        var app = builder.Build();
        // Durable storage first: Central must not answer a station before its database is current.
        app.Services.MigrateCentralDatabase();
        // Load and check the receipt signing key now, so a wrong key stops start-up instead of the first submission.
        app.Services.GetRequiredService<ReceiptIssuer>();
        // A checkpoint covering the whole log exists before the first auditor or station asks (the empty log's too).
        app.Services.GetRequiredService<SubmissionStore>().EnsureCheckpointAsync(CancellationToken.None).GetAwaiter().GetResult();
        // The review board starts reading the log now, so totals are warm before the first verifier asks.
        app.Services.GetRequiredService<ReviewBoard>();
        // Everything that is not a gRPC endpoint (the gRPC layer marks its own) is the dashboard's, for verifiers only.
        app.UseCentralDashboard();
        var authorization = app.Services.GetRequiredService<CallerAuthorization>();
        app.MapGrpcService<TransmissionService>(ContractServices.Transmission, authorization.Require(Role.Station));
        app.MapGrpcService<ReviewService>(ContractServices.Review, authorization.Require(Role.Verifier));
        app.MapGrpcService<AuditService>(ContractServices.Audit, authorization.Require(Role.Auditor));
        return app;
    }

    /// <summary>The https:// address Kestrel bound, with the real port when port 0 was asked for.</summary>
    public static Uri GetListeningAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reports no bound address.");
        return new Uri(first.Replace("http://", "https://", StringComparison.Ordinal));
    }

    // A development root's key lives on an ordinary disk next to everything else (certs-dev/): a live election must
    // never be served under it, however the configuration came to point there.
    private static void RefuseDevelopmentRootForLiveElection(CentralElection election, string rootPath)
    {
        if (election.Definition.Mode != Core.Election.ElectionMode.Live)
        {
            return;
        }

        using var root = X509CertificateLoader.LoadCertificateFromFile(rootPath);
        if (ElectionCa.IsDevelopmentRoot(root))
        {
            throw new InvalidOperationException(
                $"election {election.Definition.ElectionId} is a LIVE election but {rootPath} is a development root ({ElectionCa.DevelopmentMarker}); "
                + "serve it under the commission's own root, or use a test-mode definition for a rehearsal.");
        }
    }
}
