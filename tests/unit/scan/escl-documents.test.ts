/**
 * eSCL documents as devices write them (other prefixes, resolution ranges, quirks) → the desk's view; the
 * simulator covers the happy shape, these the variations a real MFP sends.
 */
import { describe, expect, it } from 'vitest';
import { parseCapabilities, toScannerCapabilities } from '../../../electron/services/scan/escl/capabilities';
import { scannerFromService } from '../../../electron/services/scan/escl/discovery';
import { parseEsclRoot, scanSettingsXml } from '../../../electron/services/scan/escl/escl-client';
import { adfProblem, parseStatus, statusProblem } from '../../../electron/services/scan/escl/status';
import { parseXml } from '../../../electron/services/scan/escl/xml';

// The shape of an HP LaserJet MFP: `ns2`/`ns3` prefixes, a resolution range, colour-only ADF duplex missing.
const HP_CAPS = `<?xml version="1.0" encoding="UTF-8"?>
<!-- device answer -->
<ns2:ScannerCapabilities xmlns:ns2="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:ns3="http://www.pwg.org/schemas/2010/12/sm">
  <ns3:Version>2.0</ns3:Version>
  <ns3:MakeAndModel>HP LaserJet MFP M426fdw</ns3:MakeAndModel>
  <ns2:Platen><ns2:PlatenInputCaps>
    <ns2:MaxWidth>2550</ns2:MaxWidth><ns2:MaxHeight>3508</ns2:MaxHeight>
    <ns2:SettingProfiles><ns2:SettingProfile>
      <ns2:ColorModes><ns2:ColorMode>Grayscale8</ns2:ColorMode><ns2:ColorMode>RGB24</ns2:ColorMode></ns2:ColorModes>
      <ns2:DocumentFormats><ns3:DocumentFormat>application/pdf</ns3:DocumentFormat><ns3:DocumentFormat>image/jpeg</ns3:DocumentFormat></ns2:DocumentFormats>
      <ns2:SupportedResolutions><ns2:ResolutionRange>
        <ns2:XResolutionRange><ns2:Min>75</ns2:Min><ns2:Max>600</ns2:Max><ns2:Step>1</ns2:Step></ns2:XResolutionRange>
      </ns2:ResolutionRange></ns2:SupportedResolutions>
    </ns2:SettingProfile></ns2:SettingProfiles>
  </ns2:PlatenInputCaps></ns2:Platen>
  <ns2:Adf><ns2:AdfSimplexInputCaps>
    <ns2:MaxWidth>2550</ns2:MaxWidth><ns2:MaxHeight>4200</ns2:MaxHeight>
    <ns2:SettingProfiles><ns2:SettingProfile>
      <ns2:ColorModes><ns2:ColorMode>Grayscale8</ns2:ColorMode></ns2:ColorModes>
      <ns2:DocumentFormats><ns3:DocumentFormat>image/jpeg</ns3:DocumentFormat></ns2:DocumentFormats>
      <ns2:SupportedResolutions><ns2:DiscreteResolutions>
        <ns2:DiscreteResolution><ns2:XResolution>300</ns2:XResolution><ns2:YResolution>300</ns2:YResolution></ns2:DiscreteResolution>
        <ns2:DiscreteResolution><ns2:XResolution>300</ns2:XResolution><ns2:YResolution>600</ns2:YResolution></ns2:DiscreteResolution>
        <ns2:DiscreteResolution><ns2:XResolution>200</ns2:XResolution><ns2:YResolution>200</ns2:YResolution></ns2:DiscreteResolution>
      </ns2:DiscreteResolutions></ns2:SupportedResolutions>
    </ns2:SettingProfile></ns2:SettingProfiles>
  </ns2:AdfSimplexInputCaps></ns2:Adf>
</ns2:ScannerCapabilities>`;

describe('eSCL documents', () => {
  it('reads capabilities with any prefix, ranges and square resolutions only', () => {
    const caps = parseCapabilities(HP_CAPS);
    expect(caps.makeAndModel).toBe('HP LaserJet MFP M426fdw');
    expect(caps.manufacturer).toBe('HP');
    expect(caps.inputs.flatbed).toEqual({
      colorModes: ['Grayscale8', 'RGB24'],
      formats: ['image/jpeg'],
      resolutions: [75, 100, 150, 200, 240, 300, 400, 600],
      maxWidth: 2550,
      maxHeight: 3508,
    });
    expect(caps.inputs.adf?.resolutions).toEqual([200, 300]);
    expect(caps.inputs.duplex).toBeUndefined();
    expect(toScannerCapabilities(caps)).toEqual({
      sources: ['flatbed', 'adf'],
      modes: ['color', 'gray', 'bw'],
      resolutions: [75, 100, 150, 200, 240, 300, 400, 600],
      pageSizes: ['A4', 'A5', 'Letter'],
      maxWidthMm: 215.9,
      maxHeightMm: 355.6,
    });
  });

  it('refuses malformed XML and a wrong document instead of guessing', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/unbalanced/);
    expect(() => parseXml('<a>')).toThrow(/unclosed/);
    expect(() => parseCapabilities('<scan:ScannerStatus/>')).toThrow(/unexpected capabilities root/);
  });

  it('decodes entities and CDATA in text', () => {
    const root = parseXml('<r><t>A &amp; B &#x1EA0;</t><c><![CDATA[<x>]]></c></r>');
    expect(root.children.map((c) => c.text)).toEqual(['A & B Ạ', '<x>']);
  });

  it('maps ADF and device states to the clerk’s codes', () => {
    const status = (state: string, adf: string) =>
      parseStatus(
        `<scan:ScannerStatus xmlns:scan="s" xmlns:pwg="p"><pwg:State>${state}</pwg:State><scan:AdfState>${adf}</scan:AdfState></scan:ScannerStatus>`,
      );
    expect(adfProblem(status('Idle', 'ScannerAdfJam'))).toBe('jammed');
    expect(adfProblem(status('Idle', 'ScannerAdfHatchOpen'))).toBe('cover-open');
    expect(adfProblem(status('Idle', 'ScannerAdfDoorOpen'))).toBe('cover-open');
    expect(adfProblem(status('Idle', 'ScannerAdfEmpty'))).toBe('feeder-empty');
    expect(adfProblem(status('Idle', 'ScannerAdfMultipickDetected'))).toBe('escl-double-feed');
    expect(adfProblem(status('Idle', 'ScannerAdfDuplexPageTooShort'))).toBe('escl-paper-size');
    expect(adfProblem(status('Idle', 'ScannerAdfLoaded'))).toBeNull();
    expect(statusProblem(status('Processing', 'ScannerAdfLoaded'), { feeder: true })).toBe('busy');
    expect(statusProblem(status('Stopped', ''), { feeder: false })).toBe('device-failed');
    expect(statusProblem(status('Idle', 'ScannerAdfJam'), { feeder: false })).toBeNull();
  });

  it('writes the ScanSettings real devices are tested with', () => {
    const xml = scanSettingsXml({
      source: 'Feeder',
      duplex: true,
      colorMode: 'Grayscale8',
      format: 'image/png',
      resolution: 300,
      width: 2480,
      height: 3508,
    });
    const root = parseXml(xml);
    expect(root.name).toBe('ScanSettings');
    expect(xml).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(xml).toContain('<scan:Duplex>true</scan:Duplex>');
    expect(xml).toContain('<pwg:Width>2480</pwg:Width><pwg:Height>3508</pwg:Height>');
    expect(xml).toContain('<scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution>');
  });

  it('normalises addresses a clerk types', () => {
    expect(parseEsclRoot('192.168.1.20').href).toBe('http://192.168.1.20/eSCL');
    expect(parseEsclRoot(' escl:http://10.0.0.5:8080/eSCL/ ').href).toBe('http://10.0.0.5:8080/eSCL');
    expect(parseEsclRoot('https://may-quet.local/custom').href).toBe('https://may-quet.local/custom');
    expect(() => parseEsclRoot('http://user:pw@10.0.0.5/')).toThrow();
    expect(() => parseEsclRoot('ftp://10.0.0.5/')).toThrow();
  });

  it('turns a DNS-SD service into an eSCL root as sane-airscan reads TXT', () => {
    const base = { host: 'mfp.local', port: 443, name: 'MFP', addresses: ['fe80::1', '192.168.1.30'] };
    expect(
      scannerFromService({ ...base, txt: { rs: '/eSCL/', ty: 'Canon MF643C', uuid: 'u-1' } }, true),
    ).toEqual({
      root: 'https://192.168.1.30:443/eSCL',
      name: 'Canon MF643C',
      uuid: 'u-1',
    });
    expect(scannerFromService({ ...base, port: 80, addresses: [], txt: {} }, false)).toEqual({
      root: 'http://mfp.local:80/eSCL',
      name: 'MFP',
      uuid: null,
    });
    expect(scannerFromService({ ...base, txt: { rs: '' } }, false)?.root).toBe('http://192.168.1.30:443');
  });
});
