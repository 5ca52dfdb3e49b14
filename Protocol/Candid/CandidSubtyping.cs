namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// The Candid subtype relation <c>t1 &lt;: t2</c> (coinductive over recursive types): <c>reserved</c> and every
/// <c>opt</c> are supertypes of everything, <c>empty</c> a subtype of everything, <c>nat &lt;: int</c>, records
/// may drop fields and gain <c>opt</c>/<c>reserved</c> ones, variants may lose cases, functions are contravariant
/// in arguments and covariant in results with equal annotations, services may have more methods.
/// </summary>
public static class CandidSubtyping
{
    /// <summary>Whether values of <paramref name="sub"/> may be read at <paramref name="super"/>.</summary>
    public static bool IsSubtype(CandidType sub, CandidType super)
    {
        ArgumentNullException.ThrowIfNull(sub);
        ArgumentNullException.ThrowIfNull(super);
        var checker = new Checker(CandidDecoderOptions.Default.MaxDepth * 4, int.MaxValue);
        return checker.Check(sub, super, 0);
    }

    /// <summary>Subtype checks of one decode, sharing a step budget and a memo of answers.</summary>
    internal sealed class Checker(int maxDepth, int maxSteps)
    {
        private readonly HashSet<(CandidType, CandidType)> _assumed = [];
        private readonly Dictionary<(CandidType, CandidType), bool> _answers = [];
        private int _steps;

        public bool IsSubtype(CandidType sub, CandidType super)
        {
            var key = (sub.Resolve(), super.Resolve());
            if (_answers.TryGetValue(key, out bool known))
            {
                return known;
            }

            _assumed.Clear();
            bool result = Check(key.Item1, key.Item2, 0);
            _answers[key] = result;
            return result;
        }

        public bool Check(CandidType t1, CandidType t2, int depth)
        {
            t1 = t1.Resolve();
            t2 = t2.Resolve();
            if (ReferenceEquals(t1, t2) || t2.Kind is CandidTypeKind.Reserved or CandidTypeKind.Opt || t1.Kind == CandidTypeKind.Empty)
            {
                return true;
            }

            if (++_steps > maxSteps)
            {
                throw new CandidFormatException($"subtype checks exceed {maxSteps} steps");
            }

            if (depth > maxDepth)
            {
                throw new CandidFormatException($"types nest deeper than {maxDepth} levels");
            }

            if (!_assumed.Add((t1, t2)))
            {
                return true;
            }

            switch (t1, t2)
            {
                case (CandidPrimitiveType a, CandidPrimitiveType b):
                    return a.Kind == b.Kind || (a.Kind == CandidTypeKind.Nat && b.Kind == CandidTypeKind.Int);
                case (CandidVecType a, CandidVecType b):
                    return Check(a.Element, b.Element, depth + 1);
                case (CandidRecordType a, CandidRecordType b):
                    return Fields(a.Fields, b.Fields, depth);
                case (CandidVariantType a, CandidVariantType b):
                    foreach (CandidField f in a.Fields)
                    {
                        int j = b.IndexOf(f.Label.Id);
                        if (j < 0 || !Check(f.Type, b.Fields[j].Type, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                case (CandidFuncType a, CandidFuncType b):
                    return a.Modes == b.Modes && Sequence(b.Arguments, a.Arguments, depth) && Sequence(a.Results, b.Results, depth);
                case (CandidServiceType a, CandidServiceType b):
                    foreach (CandidMethod m in b.Methods)
                    {
                        CandidMethod? mine = a.Find(m.Name);
                        if (mine is null || !Check(mine.Type, m.Type, depth + 1))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return false;
            }
        }

        private bool Fields(IReadOnlyList<CandidField> sub, IReadOnlyList<CandidField> super, int depth)
        {
            foreach (CandidField f in super)
            {
                CandidField? mine = null;
                foreach (CandidField s in sub)
                {
                    if (s.Label.Id == f.Label.Id)
                    {
                        mine = s;
                        break;
                    }
                }

                if (mine is null ? !MayBeAbsent(f.Type) : !Check(mine.Type, f.Type, depth + 1))
                {
                    return false;
                }
            }

            return true;
        }

        private bool Sequence(IReadOnlyList<CandidType> sub, IReadOnlyList<CandidType> super, int depth)
        {
            for (int i = 0; i < super.Count; i++)
            {
                if (i < sub.Count ? !Check(sub[i], super[i], depth + 1) : !MayBeAbsent(super[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool MayBeAbsent(CandidType t) => t.Resolve().Kind is CandidTypeKind.Opt or CandidTypeKind.Reserved;
    }
}
