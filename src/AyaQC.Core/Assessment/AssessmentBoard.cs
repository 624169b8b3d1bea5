using AyaQC.Core.Crowd;

namespace AyaQC.Core.Assessment;

/// <summary>
/// The live work of one assessment project, no I/O: which row or control item to serve each assessor next, the
/// votes each row holds, when a row needs no more votes, each assessor's online skill and suspension.
/// <list type="bullet">
/// <item>A row is never served twice to one assessor, nor to more assessors than its overlap still needs
/// (valid votes + reservations ≤ need; dynamic rows take one reservation at a time once past the minimum).</item>
/// <item>Rows are served breadth-first in a shuffled order; with probability <see cref="AssessmentSettings.ControlRate"/>
/// a control item the assessor has not seen replaces the row, and only while real work exists — so neither ids,
/// order nor an empty queue tells a control from a row.</item>
/// <item>Votes of suspended assessors are excluded from every row (rows they voted on may reopen).</item>
/// </list>
/// The next row is found without scanning the rows in flight: a bit set over the shuffled order marks the rows that
/// may have room (every row with room is marked; a marked row found full on inspection is unmarked until a holder
/// leaves it or a suspension, reinstatement or send-back reopens rows), and reservations wait in a queue by serving
/// time so that expired leases are dropped oldest first.
/// Single-threaded: one owner (the project grain) calls it.
/// </summary>
public sealed class AssessmentBoard
{
    readonly AssessmentSettings _settings;
    readonly string[] _rowIds;
    readonly ControlItem[] _controls;
    readonly string[] _itemIds;                       // rows first, then controls
    readonly Dictionary<string, int> _itemOf;
    readonly int[] _order;                            // shuffled row order
    readonly int[] _positionOf;                       // row → its position in _order
    readonly ulong[] _mayHaveRoom;                    // bit per position in _order: the row may have room (superset of rows with room)
    readonly Queue<(AssessorRecord Holder, int Row, DateTimeOffset ServedAt)> _leases = new(); // row reservations, oldest first
    readonly bool[] _done;                            // row needs nothing more (until a suspension reopens it)
    readonly bool[] _agreementCounted;
    readonly int[] _floor;                            // valid votes a row needs at least (raised when sent back from review)
    readonly List<int>[] _voters, _labels, _holders;  // per row: all votes (incl. suspended voters) and reservations
    readonly int[] _valid;                            // per row: votes of assessors not suspended (recounted when that changes)
    readonly Dictionary<string, AssessorRecord> _assessors = new(StringComparer.Ordinal);
    readonly List<AssessorRecord> _byIndex = [];
    readonly List<BoardVote> _votes = [];
    readonly Random _random;
    readonly DynamicOverlapPolicy _posterior;         // the policy (dynamic) or a plain posterior for fixed overlap
    readonly double[] _classPriors;
    double[] _skill = new double[64];
    WorkerSkills _skills;
    int _firstWord;                                   // no bit of _mayHaveRoom is set below this word
    int _compactLeasesAt = 1024;

    public AssessmentBoard(AssessmentSettings settings, IReadOnlyList<string> rowIds, IReadOnlyList<ControlItem> controls, OpaqueItemIds ids, int seed)
    {
        _settings = settings;
        _rowIds = [.. rowIds];
        _controls = [.. controls];
        foreach (var c in _controls)
            if ((uint)c.Label >= (uint)settings.Labels.Count) throw new ArgumentException($"control item '{c.Id}': label id {c.Label} is not one of the {settings.Labels.Count} labels");
        _itemIds = new string[_rowIds.Length + _controls.Length];
        _itemOf = new Dictionary<string, int>(_itemIds.Length, StringComparer.Ordinal);
        for (var i = 0; i < _itemIds.Length; i++)
        {
            _itemIds[i] = i < _rowIds.Length ? ids.Row(_rowIds[i]) : ids.Control(_controls[i - _rowIds.Length].Id);
            if (!_itemOf.TryAdd(_itemIds[i], i))
                throw new ArgumentException(i < _rowIds.Length ? $"row id '{_rowIds[i]}' appears twice" : $"control item '{_controls[i - _rowIds.Length].Id}' appears twice");
        }
        _random = new Random(seed);
        _order = Enumerable.Range(0, _rowIds.Length).ToArray();
        _random.Shuffle(_order);
        _positionOf = new int[_order.Length];
        for (var i = 0; i < _order.Length; i++) _positionOf[_order[i]] = i;
        _mayHaveRoom = new ulong[(_order.Length + 63) / 64];
        for (var i = 0; i < _order.Length; i++) _mayHaveRoom[i >> 6] |= 1UL << i;
        _done = new bool[_rowIds.Length];
        _agreementCounted = new bool[_rowIds.Length];
        _floor = new int[_rowIds.Length];
        _voters = NewLists(_rowIds.Length);
        _labels = NewLists(_rowIds.Length);
        _holders = NewLists(_rowIds.Length);
        _valid = new int[_rowIds.Length];
        _posterior = settings.Overlap.Dynamic ?? new DynamicOverlapPolicy { MinVotes = 0, MaxVotes = int.MaxValue };
        _classPriors = Aggregation.Uniform(settings.Labels.Count);
        _skills = new WorkerSkills("control accuracy (Beta posterior mean)", _skill, null, settings.Labels.Count);
    }

    static List<int>[] NewLists(int n)
    {
        var lists = new List<int>[n];
        for (var i = 0; i < n; i++) lists[i] = [];
        return lists;
    }

    public AssessmentSettings Settings => _settings;
    public int RowCount => _rowIds.Length;
    public IReadOnlyList<string> RowIds => _rowIds;
    public IReadOnlyList<ControlItem> Controls => _controls;
    public IReadOnlyCollection<AssessorRecord> Assessors => _byIndex;
    public IReadOnlyList<BoardVote> Votes => _votes;

    /// <summary>The opaque id assessors see for an item.</summary>
    public string ItemId(BoardItem item) => _itemIds[item.IsControl ? _rowIds.Length + item.Index : item.Index];

    public bool TryGetItem(string itemId, out BoardItem item)
    {
        if (_itemOf.TryGetValue(itemId, out var i)) { item = ItemAt(i); return true; }
        item = default;
        return false;
    }

    BoardItem ItemAt(int i) => i < _rowIds.Length ? new(false, i) : new(true, i - _rowIds.Length);

    public AssessorRecord? Assessor(string id) => _assessors.GetValueOrDefault(id);

    AssessorRecord Enrol(string id)
    {
        if (_assessors.TryGetValue(id, out var record)) return record;
        record = new AssessorRecord(id, _byIndex.Count, _settings.Skill);
        _assessors.Add(id, record);
        _byIndex.Add(record);
        if (record.Index >= _skill.Length)
        {
            Array.Resize(ref _skill, _skill.Length * 2);
            _skills = new WorkerSkills(_skills.Kind, _skill, null, _settings.Labels.Count);
        }
        _skill[record.Index] = Clamp(record.Skill);
        return record;
    }

    static double Clamp(double skill) => Math.Clamp(skill, 0.01, 0.99);

    /// <summary>The item the assessor should judge now: their unanswered item while its lease holds, else a new one.</summary>
    public Served Next(string assessorId, DateTimeOffset now)
    {
        var record = Enrol(assessorId);
        if (record.Suspended) return new(ServeStatus.Suspended, null, default, record.Answers);
        if (record.Current >= 0)
        {
            if (now - record.ServedAt < _settings.Lease) return ServedOf(record, record.Current);
            Release(record);
        }
        if (_settings.Quota > 0 && record.Seen.Count >= _settings.Quota) return new(ServeStatus.QuotaReached, null, default, record.Answers);
        ReleaseExpired(now);
        var row = FindRow(record);
        if (row < 0) return new(ServeStatus.NoWork, null, default, record.Answers);
        var item = row;
        if (_controls.Length > 0 && _random.NextDouble() < _settings.ControlRate && UnseenControl(record) is var c and >= 0)
            item = _rowIds.Length + c;
        else
            Reserve(record, row, now);
        record.Seen.Add(item);
        record.Current = item;
        record.ServedAt = now;
        return ServedOf(record, item);
    }

    Served ServedOf(AssessorRecord record, int item) => new(ServeStatus.Item, _itemIds[item], ItemAt(item), record.Answers + 1);

    /// <summary>The first row in the shuffled order with room that the assessor has not seen; rows found full are
    /// unmarked on the way (and marked finished when nothing more will come).</summary>
    int FindRow(AssessorRecord record)
    {
        for (var w = _firstWord; w < _mayHaveRoom.Length; w++)
        {
            var bits = _mayHaveRoom[w];
            if (bits == 0 && w == _firstWord) { _firstWord++; continue; }
            while (bits != 0)
            {
                var position = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                var r = _order[position];
                if (HasRoom(r))
                {
                    if (!record.Seen.Contains(r)) return r;
                    continue;
                }
                _mayHaveRoom[w] &= ~(1UL << position);
                Finished(r);
            }
        }
        return -1;
    }

    /// <summary>Marks the row as possibly having room again (a holder left, or which votes count changed).</summary>
    void MayHaveRoom(int row)
    {
        var position = _positionOf[row];
        _mayHaveRoom[position >> 6] |= 1UL << position;
        if (position >> 6 < _firstWord) _firstWord = position >> 6;
    }

    /// <summary>Drops reservations whose lease ran out, oldest first, and the entries of reservations already
    /// answered or released. (Serving times come from the API nodes' clocks; an entry behind a later one waits for it,
    /// so a lease may outlive its time by the nodes' clock difference.)</summary>
    void ReleaseExpired(DateTimeOffset now)
    {
        while (_leases.TryPeek(out var lease) && (!Holds(lease) || now - lease.ServedAt >= _settings.Lease))
        {
            _leases.Dequeue();
            if (Holds(lease)) Release(lease.Holder);
        }
    }

    static bool Holds((AssessorRecord Holder, int Row, DateTimeOffset ServedAt) lease) =>
        lease.Holder.Current == lease.Row && lease.Holder.ServedAt == lease.ServedAt;

    /// <summary>Queues a reservation; answered ones behind an old unanswered one are dropped now and then, so the
    /// queue stays within twice the reservations alive.</summary>
    void Reserve(AssessorRecord holder, int row, DateTimeOffset now)
    {
        _holders[row].Add(holder.Index);
        if (_leases.Count >= _compactLeasesAt)
        {
            var alive = _leases.Where(Holds).ToList();
            _leases.Clear();
            foreach (var lease in alive) _leases.Enqueue(lease);
            _compactLeasesAt = Math.Max(1024, 2 * _leases.Count);
        }
        _leases.Enqueue((holder, row, now));
    }

    int UnseenControl(AssessorRecord record)
    {
        var n = _controls.Length;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var c = _random.Next(n);
            if (!record.Seen.Contains(_rowIds.Length + c)) return c;
        }
        var start = _random.Next(n);
        for (var j = 0; j < n; j++)
        {
            var c = (start + j) % n;
            if (!record.Seen.Contains(_rowIds.Length + c)) return c;
        }
        return -1;
    }

    /// <summary>Whether one more assessor may take the row now.</summary>
    bool HasRoom(int row)
    {
        if (_done[row]) return false;
        var valid = ValidVotes(row);
        var pending = _holders[row].Count;
        if (valid + pending < _floor[row]) return true;
        if (_settings.Overlap.Fixed is { } k) return valid + pending < k;
        var policy = _settings.Overlap.Dynamic!;
        if (valid + pending < policy.MinVotes) return true;
        if (pending > 0 || valid >= policy.MaxVotes) return false;
        return Decide(row).NeedsAnotherVote;
    }

    /// <summary>A row is finished once it needs no more votes and holds no reservation; it stays so (skills
    /// learnt later do not reopen it) until a suspension or reinstatement changes which votes count.</summary>
    bool Finished(int row)
    {
        if (!_done[row] && _holders[row].Count == 0 && !HasRoom(row)) _done[row] = true;
        return _done[row];
    }

    int ValidVotes(int row) => _valid[row];

    OverlapDecision Decide(int row)
    {
        var voters = _voters[row];
        var labels = _labels[row];
        Span<int> w = voters.Count <= 64 ? stackalloc int[voters.Count] : new int[voters.Count];
        Span<int> l = voters.Count <= 64 ? stackalloc int[voters.Count] : new int[voters.Count];
        var n = 0;
        for (var j = 0; j < voters.Count; j++)
        {
            if (_byIndex[voters[j]].Suspended) continue;
            w[n] = voters[j];
            l[n++] = labels[j];
        }
        return _posterior.Decide(w[..n], l[..n], _skills, _classPriors);
    }

    void Release(AssessorRecord record)
    {
        if (record.Current >= 0 && record.Current < _rowIds.Length && _holders[record.Current].Remove(record.Index)) MayHaveRoom(record.Current);
        record.Current = -1;
    }

    /// <summary>Records the assessor's answer to the item they were served; refuses anything else.</summary>
    public AnswerOutcome Answer(string assessorId, string itemId, int label, DateTimeOffset now)
    {
        var known = _itemOf.TryGetValue(itemId, out var i);
        var item = known ? ItemAt(i) : default;
        if (!_assessors.TryGetValue(assessorId, out var record) || !known)
            return Refuse(AnswerRejection.NotServed, $"item '{itemId}' was not served to you");
        if (record.Suspended) return Refuse(AnswerRejection.Suspended, "you are suspended from this project; your answers are no longer accepted", item);
        if (record.Current != i)
            return record.Seen.Contains(i)
                ? Refuse(AnswerRejection.AlreadyAnswered, $"item '{itemId}' was already answered (or its reservation lapsed)", item)
                : Refuse(AnswerRejection.NotServed, $"item '{itemId}' was not served to you", item);
        if ((uint)label >= (uint)_settings.Labels.Count) return Refuse(AnswerRejection.UnknownLabel, $"label id {label} is not one of the project's labels", item);
        return Apply(record, i, label, (now - record.ServedAt).TotalSeconds);
    }

    /// <summary>
    /// Re-applies a stored vote (restoring a board after a restart): marks the item seen and counts the vote as if
    /// answered after <paramref name="seconds"/>. Votes must be replayed in their original order.
    /// </summary>
    public AnswerOutcome Replay(string assessorId, string itemId, int label, double seconds)
    {
        if (!_itemOf.TryGetValue(itemId, out var i)) throw new ArgumentException($"stored vote names unknown item '{itemId}'");
        var record = Enrol(assessorId);
        if (record.Current >= 0 && record.Current != i) Release(record);
        record.Seen.Add(i);
        record.Current = i;
        if (i < _rowIds.Length && !_holders[i].Contains(record.Index)) _holders[i].Add(record.Index);
        return Apply(record, i, label, seconds);
    }

    static AnswerOutcome Refuse(AnswerRejection why, string detail, BoardItem item = default) => new(why, detail, item, null, []);

    AnswerOutcome Apply(AssessorRecord record, int i, int label, double seconds)
    {
        var item = ItemAt(i);
        Release(record);
        record.Answers++;
        record.TimedAnswers++;
        record.LastAnswerSeconds = seconds;
        if (seconds < _settings.Suspension.MinSecondsPerItem) record.FastAnswers++;
        bool? controlCorrect = null;
        var touched = new List<AssessorRecord>(1) { record };
        if (item.IsControl)
        {
            controlCorrect = _controls[item.Index].Label == label;
            record.Controls++;
            if (controlCorrect.Value) record.ControlsCorrect++;
            _skill[record.Index] = Clamp(record.Skill);
        }
        else
        {
            _voters[i].Add(record.Index);
            _labels[i].Add(label);
            if (!record.Suspended) _valid[i]++;
            if (Finished(i) && !_agreementCounted[i]) CountAgreement(i, touched);
        }
        _votes.Add(new BoardVote(record.Id, item, label));
        var suspended = new List<AssessorRecord>();
        foreach (var a in touched)
            if (!a.Suspended && _settings.Suspension.Evaluate(a) is { } evidence)
            {
                Suspend(a, evidence);
                suspended.Add(a);
            }
        return new AnswerOutcome(null, "accepted", item, controlCorrect, suspended);
    }

    /// <summary>Once per row, when it first needs nothing more: each valid voter agreed with its label or not.</summary>
    void CountAgreement(int row, List<AssessorRecord> touched)
    {
        _agreementCounted[row] = true;
        var label = Decide(row).BestLabel;
        var voters = _voters[row];
        for (var j = 0; j < voters.Count; j++)
        {
            var a = _byIndex[voters[j]];
            if (a.Suspended) continue;
            a.AgreementChecks++;
            if (_labels[row][j] == label) a.Agreements++;
            if (!touched.Contains(a)) touched.Add(a);
        }
    }

    /// <summary>Suspends an assessor: their reservation is dropped and their votes stop counting (rows may reopen).</summary>
    public void Suspend(AssessorRecord record, SuspensionEvidence evidence)
    {
        record.Suspension = evidence;
        Release(record);
        Reopen();
    }

    /// <summary>Lifts a suspension: the assessor's votes count again and the rule watches only answers from now on.</summary>
    public bool Reinstate(string assessorId)
    {
        if (!_assessors.TryGetValue(assessorId, out var record) || !record.Suspended) return false;
        record.Suspension = null;
        record.Controls = record.ControlsCorrect = record.TimedAnswers = record.FastAnswers = record.AgreementChecks = record.Agreements = 0;
        _skill[record.Index] = Clamp(record.Skill);
        Reopen();
        return true;
    }

    /// <summary>Which votes count changed: every row is recounted and may need votes again.</summary>
    void Reopen()
    {
        for (var r = 0; r < _rowIds.Length; r++)
        {
            var n = 0;
            foreach (var a in _voters[r]) if (!_byIndex[a].Suspended) n++;
            _valid[r] = n;
        }
        Array.Clear(_done);
        for (var r = 0; r < _rowIds.Length; r++) MayHaveRoom(r);
    }

    /// <summary>
    /// Asks for <paramref name="more"/> valid votes on the row beyond those it holds now (a row sent back from review):
    /// it is served again, only to assessors who have not seen it. False when the row index is out of range or more &lt; 1.
    /// </summary>
    public bool RequestMoreVotes(int row, int more)
    {
        if ((uint)row >= (uint)_rowIds.Length || more < 1) return false;
        _floor[row] = Math.Max(_floor[row], ValidVotes(row) + more);
        _done[row] = false;
        MayHaveRoom(row);
        return true;
    }

    /// <summary>The row's live state: valid votes and the online label (one-coin posterior with control skills).</summary>
    public RowState Row(int row)
    {
        var d = Decide(row);
        return new RowState(d.Votes, d.BestLabel, d.Posterior, Finished(row));
    }

    /// <summary>Rows that need no more votes.</summary>
    public int FinishedRows()
    {
        var n = 0;
        for (var r = 0; r < _rowIds.Length; r++) if (Finished(r)) n++;
        return n;
    }
}
