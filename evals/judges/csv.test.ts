import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRecords } from "./csv";

describe("parseCsv", () => {
  it("handles quotes, doubled quotes, commas and line breaks in fields, CRLF and a BOM", () => {
    const text = '\ufefftext,is_toxic\r\n"He said ""hi"", then left",Toxic\r\n"two\nlines",Not Toxic\r\nplain,Toxic';
    expect(parseCsv(text)).toEqual([
      ["text", "is_toxic"],
      ['He said "hi", then left', "Toxic"],
      ["two\nlines", "Not Toxic"],
      ["plain", "Toxic"],
    ]);
  });

  it("keeps empty fields and ignores a final line break", () => {
    expect(parseCsv("a,b,c\n1,,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "", "3"],
    ]);
  });

  it("rejects an unterminated quote", () => {
    expect(() => parseCsv('a\n"open')).toThrow(/never closed/);
  });
});

describe("parseCsvRecords", () => {
  it("keys rows by the header and rejects ragged rows", () => {
    expect(parseCsvRecords("source,summary\nx,y\n")).toEqual([{ source: "x", summary: "y" }]);
    expect(() => parseCsvRecords("a,b\n1,2,3\n")).toThrow(/row 2 has 3 fields/);
  });
});
