using System.Text;

namespace Fairlabel.Items;

/// RFC 4180 records from a text stream: quoted fields may hold commas, quotes ("") and line
/// breaks. Each record comes with the line number it starts on, for error messages.
public sealed class CsvRecords(TextReader reader, char separator = ',')
{
    long _line;

    public IEnumerable<(long Line, List<string> Fields)> Read()
    {
        var field = new StringBuilder();
        while (reader.ReadLine() is { } text)
        {
            _line++;
            var start = _line;
            var fields = new List<string>();
            var quoted = false;
            var i = 0;
            field.Clear();
            while (true)
            {
                if (i == text.Length)
                {
                    if (quoted && reader.ReadLine() is { } more)
                    {
                        // A quoted field continues on the next physical line.
                        _line++;
                        field.Append('\n');
                        text = more;
                        i = 0;
                        continue;
                    }
                    fields.Add(field.ToString());
                    break;
                }
                var c = text[i++];
                if (quoted)
                {
                    if (c != '"') field.Append(c);
                    else if (i < text.Length && text[i] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else if (c == '"' && field.Length == 0) quoted = true;
                else if (c == separator) { fields.Add(field.ToString()); field.Clear(); }
                else field.Append(c);
            }
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            yield return (start, fields);
        }
    }
}
