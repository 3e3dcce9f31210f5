// DWARF 5 tag and attribute codes (plus the GNU extensions gcc emits), with reverse name lookup.

export const DW_TAG = {
  array_type: 0x01, class_type: 0x02, entry_point: 0x03, enumeration_type: 0x04, formal_parameter: 0x05,
  imported_declaration: 0x08, label: 0x0a, lexical_block: 0x0b, member: 0x0d, pointer_type: 0x0f,
  reference_type: 0x10, compile_unit: 0x11, string_type: 0x12, structure_type: 0x13, subroutine_type: 0x15,
  typedef: 0x16, union_type: 0x17, unspecified_parameters: 0x18, variant: 0x19, common_block: 0x1a,
  common_inclusion: 0x1b, inheritance: 0x1c, inlined_subroutine: 0x1d, module: 0x1e, ptr_to_member_type: 0x1f,
  set_type: 0x20, subrange_type: 0x21, with_stmt: 0x22, access_declaration: 0x23, base_type: 0x24,
  catch_block: 0x25, const_type: 0x26, constant: 0x27, enumerator: 0x28, file_type: 0x29, friend: 0x2a,
  namelist: 0x2b, namelist_item: 0x2c, packed_type: 0x2d, subprogram: 0x2e, template_type_param: 0x2f,
  template_value_param: 0x30, thrown_type: 0x31, try_block: 0x32, variant_part: 0x33, variable: 0x34,
  volatile_type: 0x35, dwarf_procedure: 0x36, restrict_type: 0x37, interface_type: 0x38, namespace: 0x39,
  imported_module: 0x3a, unspecified_type: 0x3b, partial_unit: 0x3c, imported_unit: 0x3d, condition: 0x3f,
  shared_type: 0x40, type_unit: 0x41, rvalue_reference_type: 0x42, template_alias: 0x43, coarray_type: 0x44,
  generic_subrange: 0x45, dynamic_type: 0x46, atomic_type: 0x47, call_site: 0x48, call_site_parameter: 0x49,
  skeleton_unit: 0x4a, immutable_type: 0x4b,
  MIPS_loop: 0x4081, format_label: 0x4101, function_template: 0x4102, class_template: 0x4103,
  GNU_BINCL: 0x4104, GNU_EINCL: 0x4105, GNU_template_template_param: 0x4106,
  GNU_template_parameter_pack: 0x4107, GNU_formal_parameter_pack: 0x4108, GNU_call_site: 0x4109,
  GNU_call_site_parameter: 0x410a,
} as const;

export const DW_AT = {
  sibling: 0x01, location: 0x02, name: 0x03, ordering: 0x09, byte_size: 0x0b, bit_offset: 0x0c, bit_size: 0x0d,
  stmt_list: 0x10, low_pc: 0x11, high_pc: 0x12, language: 0x13, discr: 0x15, discr_value: 0x16,
  visibility: 0x17, import: 0x18, string_length: 0x19, common_reference: 0x1a, comp_dir: 0x1b,
  const_value: 0x1c, containing_type: 0x1d, default_value: 0x1e, inline: 0x20, is_optional: 0x21,
  lower_bound: 0x22, producer: 0x25, prototyped: 0x27, return_addr: 0x2a, start_scope: 0x2c,
  bit_stride: 0x2e, upper_bound: 0x2f, abstract_origin: 0x31, accessibility: 0x32, address_class: 0x33,
  artificial: 0x34, base_types: 0x35, calling_convention: 0x36, count: 0x37, data_member_location: 0x38,
  decl_column: 0x39, decl_file: 0x3a, decl_line: 0x3b, declaration: 0x3c, discr_list: 0x3d, encoding: 0x3e,
  external: 0x3f, frame_base: 0x40, friend: 0x41, identifier_case: 0x42, macro_info: 0x43,
  namelist_item: 0x44, priority: 0x45, segment: 0x46, specification: 0x47, static_link: 0x48, type: 0x49,
  use_location: 0x4a, variable_parameter: 0x4b, virtuality: 0x4c, vtable_elem_location: 0x4d,
  allocated: 0x4e, associated: 0x4f, data_location: 0x50, byte_stride: 0x51, entry_pc: 0x52,
  use_UTF8: 0x53, extension: 0x54, ranges: 0x55, trampoline: 0x56, call_column: 0x57, call_file: 0x58,
  call_line: 0x59, description: 0x5a, binary_scale: 0x5b, decimal_scale: 0x5c, small: 0x5d,
  decimal_sign: 0x5e, digit_count: 0x5f, picture_string: 0x60, mutable: 0x61, threads_scaled: 0x62,
  explicit: 0x63, object_pointer: 0x64, endianity: 0x65, elemental: 0x66, pure: 0x67, recursive: 0x68,
  signature: 0x69, main_subprogram: 0x6a, data_bit_offset: 0x6b, const_expr: 0x6c, enum_class: 0x6d,
  linkage_name: 0x6e, string_length_bit_size: 0x6f, string_length_byte_size: 0x70, rank: 0x71,
  str_offsets_base: 0x72, addr_base: 0x73, rnglists_base: 0x74, dwo_name: 0x76, reference: 0x77,
  rvalue_reference: 0x78, macros: 0x79, call_all_calls: 0x7a, call_all_source_calls: 0x7b,
  call_all_tail_calls: 0x7c, call_return_pc: 0x7d, call_value: 0x7e, call_origin: 0x7f,
  call_parameter: 0x80, call_pc: 0x81, call_tail_call: 0x82, call_target: 0x83,
  call_target_clobbered: 0x84, call_data_location: 0x85, call_data_value: 0x86, noreturn: 0x87,
  alignment: 0x88, export_symbols: 0x89, deleted: 0x8a, defaulted: 0x8b, loclists_base: 0x8c,
  MIPS_linkage_name: 0x2007, sf_names: 0x2101, src_info: 0x2102, mac_info: 0x2103, src_coords: 0x2104,
  body_begin: 0x2105, body_end: 0x2106, GNU_vector: 0x2107, GNU_guarded_by: 0x2108,
  GNU_pt_guarded_by: 0x2109, GNU_guarded: 0x210a, GNU_pt_guarded: 0x210b, GNU_locks_excluded: 0x210c,
  GNU_exclusive_locks_required: 0x210d, GNU_shared_locks_required: 0x210e, GNU_odr_signature: 0x210f,
  GNU_template_name: 0x2110, GNU_call_site_value: 0x2111, GNU_call_site_data_value: 0x2112,
  GNU_call_site_target: 0x2113, GNU_call_site_target_clobbered: 0x2114, GNU_tail_call: 0x2115,
  GNU_all_tail_call_sites: 0x2116, GNU_all_call_sites: 0x2117, GNU_all_source_call_sites: 0x2118,
  GNU_macros: 0x2119, GNU_deleted: 0x211a, GNU_dwo_name: 0x2130, GNU_dwo_id: 0x2131,
  GNU_ranges_base: 0x2132, GNU_addr_base: 0x2133, GNU_pubnames: 0x2134, GNU_pubtypes: 0x2135,
  GNU_discriminator: 0x2136, GNU_locviews: 0x2137, GNU_entry_view: 0x2138,
} as const;

function reverse(table: Record<string, number>, prefix: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(table)) if (!m.has(v)) m.set(v, prefix + k);
  return m;
}

const TAG_NAMES = reverse(DW_TAG, 'DW_TAG_');
const AT_NAMES = reverse(DW_AT, 'DW_AT_');

/** 'DW_TAG_subprogram' for 0x2e; a hex placeholder for codes this reader does not name. */
export function tagName(code: number): string {
  return TAG_NAMES.get(code) ?? `DW_TAG_0x${code.toString(16)}`;
}

export function attributeName(code: number): string {
  return AT_NAMES.get(code) ?? `DW_AT_0x${code.toString(16)}`;
}
