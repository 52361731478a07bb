using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Transmission.Central.Pki;
using Transmission.Central.Tests.Hosting;
using Transmission.Core.Pki;
using Transmission.Testing;

namespace Transmission.Central.Tests.Pki;

/// <summary>
/// The CA side of a revocation against a running Central, as an operator does it: <c>pki revoke</c>, then
/// <c>pki crl --out</c> into Central's CRL path; and every CRL check Central makes, to wait on (never sleep-and-hope).
/// </summary>
internal sealed class CrlPublisher
{
    private readonly RunningCentral _central;
    private readonly Channel<CrlCheck> _checks = Channel.CreateUnbounded<CrlCheck>();

    public CrlPublisher(RunningCentral central)
    {
        _central = central;
        central.Services.GetRequiredService<CrlUpdater>().Checked += (_, check) => _checks.Writer.TryWrite(check);
    }

    private DevelopmentPki Pki => _central.Pki;

    /// <summary>Central's configured CRL file.</summary>
    public string CrlPath => Path.Combine(Pki.Root, "crl.pem");

    public X509Certificate2 Root => X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Pki.Ca, "ca.cert.pem"));

    public async Task RevokeAsync(string certificatePath) =>
        await InProcessCli.Central("pki", "revoke", "--ca", Pki.Ca, "--cert", certificatePath, "--reason", "key-compromise").Ok();

    /// <summary>Publishes the CA's revocations into Central's CRL path and waits until Central has it in force and stored.</summary>
    public async Task<RevocationList> PublishAsync()
    {
        var pending = NextCheckAsync(c => c.Result == CrlCheckResult.InForce);
        await InProcessCli.Central("pki", "crl", "--ca", Pki.Ca, "--out", CrlPath).Ok();
        var check = await pending;
        var crl = RevocationList.LoadPem(await File.ReadAllTextAsync(CrlPath), Root).Value!;
        Assert.Equal(crl.Number, check.NumberInForce);
        // The check stores the CRL before it reports.
        await using var db = _central.OpenDatabase();
        Assert.True(await db.RevocationLists.AnyAsync(r => r.Number == (long)crl.Number).DefaultTimeout());
        return crl;
    }

    /// <summary>A CRL of the CA's revocations as PEM, written to a scratch file only; with <paramref name="number"/>, under that number.</summary>
    public async Task<string> SignAsync(long? number = null)
    {
        var scratch = Path.Combine(Pki.Root, $"scratch-{Guid.NewGuid():N}.pem");
        var numberFile = Path.Combine(Pki.Ca, "crl.number");
        var saved = await File.ReadAllTextAsync(numberFile);
        if (number is { } wanted)
        {
            await File.WriteAllTextAsync(numberFile, (wanted - 1).ToString(CultureInfo.InvariantCulture) + "\n");
        }

        await InProcessCli.Central("pki", "crl", "--ca", Pki.Ca, "--out", scratch).Ok();
        if (number is not null)
        {
            await File.WriteAllTextAsync(numberFile, saved);
        }

        return await File.ReadAllTextAsync(scratch);
    }

    /// <summary>Writes <paramref name="text"/> to Central's CRL path and waits for the check the change causes.</summary>
    /// <param name="text">The new file content.</param>
    /// <param name="atomically">Write a temporary file and rename it over (as <c>pki crl --out</c> does); otherwise truncate and write in place.</param>
    /// <param name="expected">Which check to wait for.</param>
    public async Task<CrlCheck> WriteAndWaitAsync(string text, bool atomically, Func<CrlCheck, bool> expected)
    {
        var pending = NextCheckAsync(c => c.Trigger.Contains(CrlWatcher.FileChangeTrigger, StringComparison.Ordinal) && expected(c));
        if (atomically)
        {
            var temporary = CrlPath + ".tmp";
            await File.WriteAllTextAsync(temporary, text);
            File.Move(temporary, CrlPath, overwrite: true);
        }
        else
        {
            await using var stream = new FileStream(CrlPath, FileMode.Truncate, FileAccess.Write);
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return await pending;
    }

    /// <summary>The next check from now on that matches <paramref name="match"/>, within the default timeout.</summary>
    public async Task<CrlCheck> NextCheckAsync(Func<CrlCheck, bool> match)
    {
        while (_checks.Reader.TryRead(out _))
        {
        }

        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var check = await _checks.Reader.ReadAsync(timeout.Token);
            if (match(check))
            {
                return check;
            }
        }
    }

    /// <summary><paramref name="pem"/> with one bit of its signature flipped.</summary>
    public static string Tamper(string pem)
    {
        var fields = PemEncoding.Find(pem);
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        der[^1] ^= 0x01;
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }
}
