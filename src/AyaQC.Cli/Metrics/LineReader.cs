namespace AyaQC.Cli.Metrics;

/// <summary>
/// Reads lines as spans over one reused buffer (no string per line), ending lines at \n, \r or \r\n as
/// StreamReader.ReadLine and Python's universal newlines do. A line longer than the buffer grows it.
/// </summary>
internal sealed class LineReader(TextReader reader, int bufferSize = 1 << 16)
{
    char[] _buffer = new char[bufferSize];
    int _start, _end;
    bool _eof;

    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOfAny('\n', '\r');
            if (newline >= 0)
            {
                var at = scanFrom + newline;
                if (_buffer[at] == '\r' && at + 1 == _end && !_eof)
                {
                    // A \r at the buffer's end may be the first half of \r\n: read more before deciding.
                    scanFrom = at - _start;
                    Fill();
                    scanFrom += _start;
                    continue;
                }
                line = _buffer.AsSpan(_start, at - _start);
                _start = at + 1;
                if (_buffer[at] == '\r' && _start < _end && _buffer[_start] == '\n') _start++;
                return true;
            }
            if (_eof)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                var any = _end > _start;
                _start = _end;
                return any;
            }
            scanFrom = _end - _start;
            Fill();
            scanFrom += _start;
        }
    }

    /// <summary>Moves the unread part to the front (growing the buffer if it is full) and reads more.</summary>
    void Fill()
    {
        var pending = _end - _start;
        if (pending == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        if (_start > 0) Array.Copy(_buffer, _start, _buffer, 0, pending);
        _start = 0;
        _end = pending;
        var read = reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        else _end += read;
    }
}
