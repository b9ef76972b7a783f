using System.Runtime.InteropServices;

namespace Synthetic.StandIn.Recognition;

/// <summary>
/// The few functions of Debian's libpocketsphinx 0.8+5prealpha (<c>libpocketsphinx.so.3</c>, <c>libsphinxbase.so.3</c>)
/// the stand-in calls: parse a configuration, create a decoder, decode one utterance of 16 kHz 16-bit PCM.
/// </summary>
internal static partial class PocketSphinxNative
{
    private const string PocketSphinx = "libpocketsphinx.so.3";
    private const string SphinxBase = "libsphinxbase.so.3";

    /// <summary><c>arg_t const *ps_args(void)</c>: the decoder's argument definitions.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_args")]
    internal static partial IntPtr Args();

    /// <summary><c>cmd_ln_t *cmd_ln_parse_r(cmd_ln_t *inout, arg_t const *defn, int32 argc, char *argv[], int32 strict)</c>.</summary>
    [LibraryImport(SphinxBase, EntryPoint = "cmd_ln_parse_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr ParseConfig(IntPtr inout, IntPtr definitions, int argc, string[] argv, int strict);

    /// <summary><c>int cmd_ln_free_r(cmd_ln_t *cmdln)</c>: releases one reference.</summary>
    [LibraryImport(SphinxBase, EntryPoint = "cmd_ln_free_r")]
    internal static partial int FreeConfig(IntPtr config);

    /// <summary><c>ps_decoder_t *ps_init(cmd_ln_t *config)</c>: loads the model (retains the config); null on error.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_init")]
    internal static partial IntPtr Init(IntPtr config);

    /// <summary><c>int ps_free(ps_decoder_t *ps)</c>.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_free")]
    internal static partial int Free(IntPtr decoder);

    /// <summary><c>int ps_start_utt(ps_decoder_t *ps)</c>.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_start_utt")]
    internal static partial int StartUtterance(IntPtr decoder);

    /// <summary><c>int ps_process_raw(ps_decoder_t *ps, int16 const *data, size_t n_samples, int no_search, int full_utt)</c>.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_process_raw")]
    internal static unsafe partial int ProcessRaw(IntPtr decoder, short* data, nuint samples, int noSearch, int fullUtterance);

    /// <summary><c>int ps_end_utt(ps_decoder_t *ps)</c>.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_end_utt")]
    internal static partial int EndUtterance(IntPtr decoder);

    /// <summary><c>char const *ps_get_hyp(ps_decoder_t *ps, int32 *out_best_score)</c>: owned by the decoder; null when none.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_get_hyp")]
    internal static partial IntPtr Hypothesis(IntPtr decoder, out int bestScore);
}
