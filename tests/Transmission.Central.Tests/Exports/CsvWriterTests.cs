using System.Buffers;
using System.Text;
using Transmission.Central.Exports;

namespace Transmission.Central.Tests.Exports;

public sealed class CsvWriterTests
{
    [Theory]
    [InlineData("Prizren", "Prizren")]
    [InlineData("", "")]
    [InlineData("Shkolla Migjeni, Prizren", "\"Shkolla Migjeni, Prizren\"")]
    [InlineData("Shkolla \"Migjeni\"", "\"Shkolla \"\"Migjeni\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("line 1\nline 2", "\"line 1\nline 2\"")]
    [InlineData("line 1\r\nline 2", "\"line 1\r\nline 2\"")]
    [InlineData("a=b+c-d@e", "a=b+c-d@e")]
    [InlineData(" =1+1", " =1+1")]
    public void Escape_Rfc4180_QuotedOnlyWhenNeededWithQuotesDoubled(string value, string expected) =>
        Assert.Equal(expected, CsvWriter.Escape(value));

    // OWASP "CSV Injection": a cell starting with = + - @ tab or CR may run as a formula.
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\")", "\"'=HYPERLINK(\"\"http://evil.example\"\")\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("-", "'-")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=a,b", "\"'=a,b\"")]
    public void Escape_StartsLikeAFormula_PrefixedWithApostrophe(string value, string expected) =>
        Assert.Equal(expected, CsvWriter.Escape(value));

    [Fact]
    public void Row_MixedFields_CommaSeparatedAndEndedWithLf()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var csv = new CsvWriter(buffer);
        var fragment = CsvWriter.Fragment(new ArrayBufferWriter<byte>(), w =>
        {
            w.Text("x,y");
            w.Number(2);
        });

        csv.Text("Prishtinë");
        csv.Number(long.MinValue);
        csv.Number(1234567);
        csv.Boolean(true);
        csv.Empty();
        csv.Fields(fragment);
        csv.Boolean(false);
        csv.EndRow();
        csv.Number(-0);
        csv.EndRow();

        Assert.Equal("Prishtinë,-9223372036854775808,1234567,true,,\"x,y\",2,false\n0\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
