using System.Text;
using ClaimGraph.Cli;

namespace ClaimGraph.Tests.Cli;

public class Utf8InputTests
{
    [Fact]
    public void Lines_EveryLineEnd_SplitAsReadLineDoes()
    {
        InputLine[] lines = [.. Utf8Input.Lines(new MemoryStream("\uFEFFa\nb\r\nc\rd\n\ne"u8.ToArray()))];

        Assert.Equal(["a", "b", "c", "d", "", "e"], lines.Select(l => l.Text));
    }

    [Fact]
    public void Lines_CarriageReturnAndLineFeedInSeparateReads_OneLineEnd()
    {
        InputLine[] lines = [.. Utf8Input.Lines(new OneByteAtATimeStream("a\r\nb\r\n"u8.ToArray()))];

        Assert.Equal(["a", "b"], lines.Select(l => l.Text));
    }

    [Fact]
    public void Lines_InvalidByte_ThatLineOnlyWithTheColumn()
    {
        byte[] bytes = [.. "ok\n"u8, .. "é"u8, 0xFF, .. "x\nfine"u8];

        InputLine[] lines = [.. Utf8Input.Lines(new MemoryStream(bytes))];

        Assert.Equal([new InputLine("ok", 0), new InputLine(null, 1), new InputLine("fine", 0)], lines);
    }

    [Fact]
    public void TryDecode_InvalidByte_NamesLineAndColumn()
    {
        byte[] bytes = [.. "write a/**\nread é"u8, 0xC3, 0x28];

        Assert.Null(Utf8Input.TryDecode(bytes, out string? error));
        Assert.Equal("not valid UTF-8: line 2, column 7 (byte 0xC3)", error);
    }

    [Fact]
    public void TryDecode_ValidWithByteOrderMark_TextWithoutIt()
    {
        Assert.Equal("write a/**", Utf8Input.TryDecode(Encoding.UTF8.GetPreamble().Concat("write a/**"u8.ToArray()).ToArray(), out string? error));
        Assert.Null(error);
    }

    /// <summary>A stream that hands out one byte per read, as a slow pipe may.</summary>
    private sealed class OneByteAtATimeStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));
    }
}
