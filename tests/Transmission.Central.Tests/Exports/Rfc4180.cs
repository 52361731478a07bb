using System.Text;

namespace Transmission.Central.Tests.Exports;

/// <summary>A strict RFC 4180 reader for the tests (rows end with <c>\n</c>): proves the files read back field for field.</summary>
internal static class Rfc4180
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }

                Assert.True(i == text.Length || text[i] is ',' or '\n', $"text after a closing quote at {i}");
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\n'))
                {
                    Assert.True(text[i] is not ('"' or '\r'), $"unquoted field with a quote or CR at {i}");
                    field.Append(text[i++]);
                }
            }

            row.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            Assert.True(i < text.Length, "the last row does not end with \\n");
            i++; // '\n'
            rows.Add([.. row]);
            row.Clear();
        }

        return rows;
    }
}
