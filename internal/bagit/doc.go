// Package bagit writes and validates BagIt bags (RFC 8493) carried in a tar
// stream. It is the format layer of Shenbao's archive: it knows nothing about
// applications, storage or retention.
//
// # Layout
//
// A bag written by [Writer] is a tar stream whose entries all lie under one
// top directory, the bag's name, and follows RFC 8493 §2:
//
//	<name>/
//	<name>/data/                    payload directory (§2.1.2), always present
//	<name>/data/<path>              payload files, in the order they were added
//	<name>/bagit.txt                bag declaration (§2.1.1):
//	                                "BagIt-Version: 1.0" and
//	                                "Tag-File-Character-Encoding: UTF-8"
//	<name>/bag-info.txt             bag metadata (§2.2.2): the caller's tags in
//	                                order, then Bagging-Date (YYYY-MM-DD, unless
//	                                the caller gave one) and
//	                                Payload-Oxum (<octets>.<file count>)
//	<name>/manifest-sha256.txt      payload manifest (§2.1.3)
//	<name>/tagmanifest-sha256.txt   tag manifest (§2.2.1) of bagit.txt,
//	                                bag-info.txt and manifest-sha256.txt
//
// Tag files come after the payload because a tar stream is written in one
// pass; RFC 8493 puts no order on the files of a serialized bag.
//
// A manifest line is "<lower-case hex digest>  <path>": two spaces, as
// bagit-python writes, where §2.1.3 allows one or more whitespace characters.
// Lines end in LF and are sorted by path (byte order). In a manifest path,
// CR, LF and % are written as %0D, %0A and %25 (§2.1.3); every other
// character, including non-ASCII UTF-8, is written as is. Only SHA-256 is
// written; no fetch.txt is written.
//
// Tag lines longer than 79 characters are folded (§2.2.2) by starting a
// continuation line before a space or tab of the value; a reader restores the
// value by removing each line break that is followed by a space or tab.
// Values without spaces (Chinese text, for instance) are never folded.
//
// # Validation
//
// [Validate] reads a bag from a tar stream in a single pass, in any entry
// order, hashing each file as it passes and keeping only digests, sizes and
// the parsed manifests. It checks the declaration, the SHA-256 payload
// manifest (every listed file present with its digest, every payload file
// listed), the SHA-256 tag manifest when there is one, and Payload-Oxum when
// bag-info.txt has one. Manifests for other algorithms are hashed as tag files
// but not checked, and fetch.txt is not followed: a payload file listed in the
// manifest and only named in fetch.txt is reported missing.
//
// [ValidateVisit] also hands each payload file to the caller as it streams
// past (Shenbao's verify checks the 材料汇编 of a package with it).
//
// The layout was checked against the text of RFC 8493. The tests extract a bag
// with the system tar and check both manifests with sha256sum -c, and validate
// the system tar's re-archive of it; intake's tests validate an archive
// package with the Library of Congress's bagit-python (vendored in
// testdata/bagit-python). bagit-python percent-encodes only CR and LF in
// manifest paths, not "%": a bag with a "%" in a file name, written as RFC
// 8493 asks, is not valid for it.
package bagit
