import type { DomainSpec } from './config-schema.js'

export type { DomainSpec }

/** The domain video items get without a model call. */
export const VIDEO_DOMAIN = 'video'

/** The eight image domains of CapFlow (paper, Table 1). */
export const DEFAULT_DOMAINS: DomainSpec[] = [
  {
    key: 'natural',
    name: 'Natural',
    description:
      'Photographs and realistic captures of the physical world: people, animals, objects, food, scenes, landscapes, street and indoor views.',
    rules: [
      'A photo that happens to contain text (signs, labels, packaging) stays Natural unless reading the text is the point of the image.',
      'A photo of a screen, page or whiteboard is judged by what it shows: a readable document is Infographic & Document, code is Code & Programming.',
    ],
  },
  {
    key: 'chart-math',
    name: 'Structure & Math',
    description:
      'Images whose content is quantitative or formal structure: charts and plots, data tables, function graphs, geometry figures, equations, math problems, flowcharts and tree or network diagrams.',
    rules: [
      'A chart or table inside a document or slide is Structure & Math when its quantitative structure dominates the image; when it is one element among running text, choose Infographic & Document.',
      'A math or geometry problem is Structure & Math even on a textbook or exam page.',
    ],
  },
  {
    key: 'document',
    name: 'Infographic & Document',
    description:
      'Text- and layout-centric images: scanned or photographed documents, forms, receipts, invoices, slides, posters, infographics, book and article pages.',
    rules: [
      'Choose it when reading the text and following the layout is the main task.',
      'A software interface (app, website, dialog) is UI & Interaction even when it shows a lot of text; a code editor is Code & Programming.',
    ],
  },
  {
    key: 'medical',
    name: 'Medical & Bio-Imaging',
    description:
      'Clinical and biological imagery: X-ray, CT, MRI, ultrasound, endoscopy, histopathology, microscopy, dermatology and other diagnostic photos.',
    rules: [
      'Any radiology, microscopy or pathology image is Medical & Bio-Imaging, even with text annotations or measurement overlays.',
      'A photo of a hospital, a clinician or a device without diagnostic imagery is Natural; an anatomy drawing made for teaching is Knowledge & Education.',
    ],
  },
  {
    key: 'ui',
    name: 'UI & Interaction',
    description:
      'Screenshots and mock-ups of software interfaces: mobile apps, websites, desktop applications, dialogs, dashboards, settings screens, game menus.',
    rules: [
      'An IDE, code editor, terminal or notebook whose main content is code is Code & Programming, not UI.',
      'A web page read as an article (mostly running text) is Infographic & Document.',
      'A drawn or rendered interface mock-up is still UI & Interaction, not Synthetic / Aesthetic, when its controls and layout are the content.',
    ],
  },
  {
    key: 'code',
    name: 'Code & Programming',
    description:
      'Source code in any form: IDE and editor screenshots, terminals and shell sessions, notebooks, code snippets, programming slides.',
    rules: [
      'Screenshots of IDEs, editors, terminals and notebooks are Code & Programming whenever code is the main content, even though they are user interfaces.',
    ],
  },
  {
    key: 'knowledge',
    name: 'Knowledge & Education',
    description:
      'Material that needs subject knowledge to explain: science diagrams (biology, physics, chemistry, earth science), maps, historical artefacts and artworks, textbook illustrations, exam questions outside mathematics.',
    rules: [
      'Math problems and quantitative charts are Structure & Math.',
      'Diagnostic medical images are Medical & Bio-Imaging.',
    ],
  },
  {
    key: 'synthetic',
    name: 'Synthetic / Aesthetic',
    description:
      'Images valued for their look rather than for information: digital art, illustrations, paintings, 3D renders, AI-generated images, logos, graphic design, wallpapers.',
    rules: [
      'Photographs of real scenes are Natural, however artistic; choose Synthetic / Aesthetic when the image is drawn, painted, rendered or generated.',
      'A designed poster or infographic whose text carries the information is Infographic & Document; an interface design is UI & Interaction.',
    ],
  },
]
