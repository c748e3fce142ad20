using System.Text;

namespace ClaimGraph.Cli;

/// <summary>
/// A plain-text table: a header row and rows of cells, columns padded to their widest cell and separated by two
/// spaces; the last column is not padded, so no line ends in spaces. A cell is always on its row: control characters
/// in it (a path or an id may hold a line break) are escaped (<see cref="Echo.Escape"/>).
/// </summary>
internal sealed class TextTable
{
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] header) => _rows.Add(Array.ConvertAll(header, Echo.Escape));

    public void Add(params string[] cells) => _rows.Add(Array.ConvertAll(cells, Echo.Escape));

    public override string ToString()
    {
        int columns = _rows[0].Length;
        var widths = new int[columns];
        foreach (string[] row in _rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var text = new StringBuilder();
        foreach (string[] row in _rows)
        {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++)
            {
                line.Append(c == columns - 1 ? row[c] : row[c].PadRight(widths[c] + 2));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
