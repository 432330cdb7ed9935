import type { BranchMapping } from './branch-mapping.js';

/** The ten JetClass classes, in the order of the dataset's label_* branches. */
export const JETCLASS_LABELS = [
  'QCD',
  'Hbb',
  'Hcc',
  'Hgg',
  'H4q',
  'Hqql',
  'Zqq',
  'Wqq',
  'Tbqq',
  'Tbl',
] as const;

export type JetClassLabel = (typeof JETCLASS_LABELS)[number];

/** JetClass file names are `<Process>_<NNN>.root`, one class per file. */
export const JETCLASS_PROCESSES: Readonly<Record<string, JetClassLabel>> = {
  ZJetsToNuNu: 'QCD',
  HToBB: 'Hbb',
  HToCC: 'Hcc',
  HToGG: 'Hgg',
  HToWW4Q: 'H4q',
  HToWW2Q1L: 'Hqql',
  ZToQQ: 'Zqq',
  WToQQ: 'Wqq',
  TTBar: 'Tbqq',
  TTBarLep: 'Tbl',
};

/** The process and label a JetClass-style file name announces, or null for other names. */
export function processOfFileName(
  name: string,
): { process: string; label: JetClassLabel; index: number } | null {
  const match = /^([A-Za-z0-9]+)_(\d{3})\.root$/.exec(name);
  if (!match) return null;
  const label = JETCLASS_PROCESSES[match[1]!];
  return label ? { process: match[1]!, label, index: Number(match[2]) } : null;
}

/** The branches of a JetClass ntuple (the published files and JetLens' generator alike). */
export const JETCLASS_MAPPING: BranchMapping = {
  tree: 'tree',
  particles: {
    px: 'part_px',
    py: 'part_py',
    pz: 'part_pz',
    energy: 'part_energy',
    deta: 'part_deta',
    dphi: 'part_dphi',
    charge: 'part_charge',
    isChargedHadron: 'part_isChargedHadron',
    isNeutralHadron: 'part_isNeutralHadron',
    isPhoton: 'part_isPhoton',
    isElectron: 'part_isElectron',
    isMuon: 'part_isMuon',
    d0: 'part_d0val',
    d0err: 'part_d0err',
    dz: 'part_dzval',
    dzerr: 'part_dzerr',
  },
  jet: {
    pt: 'jet_pt',
    eta: 'jet_eta',
    phi: 'jet_phi',
    energy: 'jet_energy',
    sdmass: 'jet_sdmass',
    tau1: 'jet_tau1',
    tau2: 'jet_tau2',
    tau3: 'jet_tau3',
    tau4: 'jet_tau4',
    nparticles: 'jet_nparticles',
  },
  labels: Object.fromEntries(JETCLASS_LABELS.map((l) => [l, `label_${l}`])),
  resonance: {
    pt: 'aux_genpart_pt',
    eta: 'aux_genpart_eta',
    phi: 'aux_genpart_phi',
    pid: 'aux_genpart_pid',
    truthMatch: 'aux_truth_match',
  },
  // JetLens' generator (tools/jetsim) also writes the resonance's decay partons
  prongs: {
    pt: 'aux_prong_pt',
    eta: 'aux_prong_eta',
    phi: 'aux_prong_phi',
    pid: 'aux_prong_pid',
    deta: 'aux_prong_deta',
    dphi: 'aux_prong_dphi',
  },
  // Track displacement, particle identification, substructure and truth are read when present.
  optional: [
    'part_charge',
    'part_isChargedHadron',
    'part_isNeutralHadron',
    'part_isPhoton',
    'part_isElectron',
    'part_isMuon',
    'part_d0val',
    'part_d0err',
    'part_dzval',
    'part_dzerr',
    'jet_sdmass',
    'jet_tau1',
    'jet_tau2',
    'jet_tau3',
    'jet_tau4',
    'jet_nparticles',
    'aux_genpart_pt',
    'aux_genpart_eta',
    'aux_genpart_phi',
    'aux_genpart_pid',
    'aux_truth_match',
    'aux_prong_pt',
    'aux_prong_eta',
    'aux_prong_phi',
    'aux_prong_pid',
    'aux_prong_deta',
    'aux_prong_dphi',
  ],
};
