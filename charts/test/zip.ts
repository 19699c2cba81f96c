// Reads one file out of a zip archive with Node's zlib, so the tests need no `unzip` (a fresh
// Debian has none). Covers what layer.zip uses: stored or deflated entries, no zip64.
import { crc32, inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** The bytes of `entry` in the zip `archive`; throws naming the entry when absent or corrupt. */
export function readZipEntry(archive: Buffer, entry: string): Buffer {
  let offset = archive.readUInt32LE(endOfCentralDirectory(archive) + 16);
  while (archive.readUInt32LE(offset) === CENTRAL_DIRECTORY_ENTRY) {
    const method = archive.readUInt16LE(offset + 10);
    const crc = archive.readUInt32LE(offset + 16);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localHeader = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entry) {
      return inflate(archive, localHeader, { method, crc, compressedSize, entry });
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip: no entry "${entry}"`);
}

function endOfCentralDirectory(archive: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const earliest = Math.max(0, archive.length - 22 - 0xffff);
  for (let at = archive.length - 22; at >= earliest; at--) {
    if (archive.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error('zip: no end of central directory record (not a zip file?)');
}

function inflate(
  archive: Buffer,
  header: number,
  entry: { method: number; crc: number; compressedSize: number; entry: string },
): Buffer {
  if (archive.readUInt32LE(header) !== LOCAL_FILE_HEADER) {
    throw new Error(`zip: bad local header for "${entry.entry}"`);
  }
  const start = header + 30 + archive.readUInt16LE(header + 26) + archive.readUInt16LE(header + 28);
  const data = archive.subarray(start, start + entry.compressedSize);
  let bytes: Buffer;
  if (entry.method === STORED) bytes = Buffer.from(data);
  else if (entry.method === DEFLATED) bytes = inflateRawSync(data);
  else throw new Error(`zip: "${entry.entry}" uses compression method ${entry.method}`);
  if (crc32(bytes) !== entry.crc) throw new Error(`zip: CRC mismatch for "${entry.entry}"`);
  return bytes;
}
