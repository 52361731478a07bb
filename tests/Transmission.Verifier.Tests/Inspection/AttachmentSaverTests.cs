using Transmission.Verifier.Inspection;

namespace Transmission.Verifier.Tests.Inspection;

public sealed class AttachmentSaverTests
{
    [Theory]
    [InlineData(0u, "scan-0.png", "0-scan-0.png")]
    [InlineData(1u, "../../etc/passwd", "1-passwd")]
    [InlineData(2u, "/abs/path/form.pdf", "2-form.pdf")]
    [InlineData(3u, "", "3-attachment")]
    [InlineData(4u, "..", "4-attachment")]
    [InlineData(5u, "a\u0001b.png", "5-a_b.png")]
    public void FileName_StationsName_StaysInsideTheFolder(uint index, string name, string expected) =>
        Assert.Equal(expected, AttachmentSaver.FileName(index, name));
}
