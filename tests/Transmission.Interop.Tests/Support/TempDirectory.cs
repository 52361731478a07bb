namespace Transmission.Interop.Tests.Support;

/// <summary>A fresh folder under the system temp path (PEM files for a peer), deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("transmission-interop-");

    public string Path => _directory.FullName;

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
