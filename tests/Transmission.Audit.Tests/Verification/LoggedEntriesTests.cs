using System.Text;
using Transmission.Audit.Verification;
using Transmission.Core.Envelope;

namespace Transmission.Audit.Tests.Verification;

public sealed class LoggedEntriesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    public void TryDecodePae_WhatPaeEncodes_TypeAndBody(string body)
    {
        var encoded = Pae.Encode("application/x.test", Encoding.UTF8.GetBytes(body));

        Assert.True(LoggedEntries.TryDecodePae(encoded, out var type, out var decoded));

        Assert.Equal("application/x.test", type);
        Assert.Equal(body, Encoding.UTF8.GetString(decoded.Span));
    }

    [Theory]
    [InlineData("DSSEv1 29 http://example.com/HelloWorld 11 hello world", true)]
    [InlineData("DSSEv1 029 http://example.com/HelloWorld 11 hello world", false)]
    [InlineData("DSSEv1 29 http://example.com/HelloWorld 011 hello world", false)]
    [InlineData("DSSEv1 29 http://example.com/HelloWorld 11 hello world!", false)]
    [InlineData("DSSEv1 29 http://example.com/HelloWorld 12 hello world", false)]
    [InlineData("DSSEv1 28 http://example.com/HelloWorld 11 hello world", false)]
    [InlineData("DSSEv2 29 http://example.com/HelloWorld 11 hello world", false)]
    [InlineData("DSSEv1  29 http://example.com/HelloWorld 11 hello world", false)]
    [InlineData("\u0008\u0001", false)]
    public void TryDecodePae_OnlyTheOneEncoding(string text, bool valid) =>
        Assert.Equal(valid, LoggedEntries.TryDecodePae(Encoding.UTF8.GetBytes(text), out _, out _));
}
