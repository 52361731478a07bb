using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Globalization;
using System.Text;
using Transmission.Cli.Localization;

namespace Transmission.Cli;

/// <summary>PEM key and certificate files: keys owner-only (0600) from the moment they exist, directories 0700.</summary>
public static class KeyFiles
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicFile = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;
    private const UnixFileMode OpenToOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Creates <paramref name="path"/> (and parents) with mode 0700 on Unix.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>Creates a new file; refuses (exit 3) if it exists. Secret files get mode 0600 at creation, not after.</summary>
    public static void WriteNew(string path, string content, bool secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? OwnerOnlyFile : PublicFile;
        }

        try
        {
            using var stream = new FileStream(path, options);
            var bytes = new UTF8Encoding(false).GetBytes(content.EndsWith('\n') ? content : content + "\n");
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new CommandFailureException(ExitCodes.WouldOverwrite, Format(CliText.FileExists, path));
        }
    }

    /// <summary>Replaces a public file atomically (write a temporary file, then rename over).</summary>
    public static void Replace(string path, string content)
    {
        var temporary = path + ".tmp-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
        WriteNew(temporary, content, secret: false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a text file; a missing or unreadable file is a one-line failure naming <paramref name="what"/>.</summary>
    public static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Format(CliText.CannotRead, what, path, e.Message));
        }
    }

    /// <summary>Reads a PEM certificate; anything else is a one-line failure.</summary>
    public static X509Certificate2 ReadCertificate(string path, string? what = null)
    {
        var pem = ReadText(path, what ?? CliText.WhatCertificate);
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            throw new CommandFailureException(ExitCodes.BadInput, Format(CliText.NotPemCertificate, path));
        }
    }

    /// <summary>
    /// Refuses (exit 4) a private key file that its group or others may read or write: the key may already have been
    /// copied, so it is not used until someone who knows looks at it. A missing file is left to the reader's message.
    /// </summary>
    public static void RequireOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        if ((File.GetUnixFileMode(path) & OpenToOthers) != 0)
        {
            throw new CommandFailureException(ExitCodes.Refused, Format(CliText.KeyOpenToOthers, path, ModeOf(path)));
        }
    }

    /// <summary>Reads a PEM (PKCS #8) ECDSA private key; anything else is a one-line failure.</summary>
    public static ECDsa ReadPrivateKey(string path)
    {
        RequireOwnerOnly(path);
        var pem = ReadText(path, CliText.WhatPrivateKey);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new CommandFailureException(ExitCodes.BadInput, Format(CliText.NotPemPrivateKey, path));
        }
    }

    /// <summary>
    /// Loads a PEM certificate and its PKCS #8 key as a certificate usable by SslStream on Linux (a TLS server
    /// or client certificate): the PEM-imported key is ephemeral, so it is round-tripped through PKCS #12.
    /// </summary>
    public static X509Certificate2 LoadTlsCertificate(string certificatePath, string keyPath)
    {
        RequireOwnerOnly(keyPath);
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);

    /// <summary>A new ECDSA P-256 key, generated here.</summary>
    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The key as PKCS #8 PEM.</summary>
    public static string KeyPem(ECDsa key) => key.ExportPkcs8PrivateKeyPem();

    /// <summary>The permission bits of a file, for display ("0600"); empty on Windows.</summary>
    public static string ModeOf(string path) =>
        OperatingSystem.IsWindows() ? string.Empty : Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
}
