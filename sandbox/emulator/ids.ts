/**
 * The fixed identities of the sandbox: one business account and one person per platform. The
 * numbers have the shapes Meta uses (phone_number_id, Page id, Instagram account id, PSID, IGSID)
 * so the product sees nothing unusual.
 */
export const sandboxIds = {
  whatsapp: {
    wabaId: '102290129340398',
    phoneNumberId: '106540352242922',
    displayPhoneNumber: '15550783881',
    userWaId: '15551230001',
    userName: 'Sandbox User',
    /** the demo shop's Commerce Manager catalog, as connected to the WhatsApp Business Account */
    catalogId: '1180000000000001',
  },
  messenger: { pageId: '100000000000001', psid: '24000000000000001' },
  instagram: { igId: '17841400000000000', igsid: '18000000000000001' },
} as const;

export type SandboxPlatform = 'whatsapp' | 'messenger' | 'instagram';
export const sandboxPlatforms: SandboxPlatform[] = ['whatsapp', 'messenger', 'instagram'];
